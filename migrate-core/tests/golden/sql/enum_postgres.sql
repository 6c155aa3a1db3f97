-- added enum 'mood' ('happy', 'sad', 'it''s ok')
CREATE TYPE "mood" AS ENUM ('happy', 'sad', 'it''s ok');

-- added table 'diary'
CREATE TABLE "diary" (
    "id" BIGINT NOT NULL,
    "today" "mood" NOT NULL DEFAULT 'happy',
    "yesterday" "mood",
    CONSTRAINT "pk_diary" PRIMARY KEY ("id")
);

-- changed enum 'mood': added 'calm', 'bored', 'angry'
-- [outside transaction]
ALTER TYPE "mood" ADD VALUE 'calm' BEFORE 'happy';
-- [outside transaction]
ALTER TYPE "mood" ADD VALUE 'bored' AFTER 'happy';
-- [outside transaction]
ALTER TYPE "mood" ADD VALUE 'angry' AFTER 'it''s ok';

-- renamed value 'happy' of enum 'mood' to 'joyful'
ALTER TYPE "mood" RENAME VALUE 'happy' TO 'joyful';

-- changed enum 'mood': reordered to ('angry', 'sad', 'it''s ok', 'bored', 'calm', 'joyful')
ALTER TYPE "mood" RENAME TO "mood__old";
CREATE TYPE "mood" AS ENUM ('angry', 'sad', 'it''s ok', 'bored', 'calm', 'joyful');
ALTER TABLE "diary" ALTER COLUMN "today" DROP DEFAULT;
ALTER TABLE "diary" ALTER COLUMN "today" TYPE "mood" USING "today"::text::"mood";
ALTER TABLE "diary" ALTER COLUMN "today" SET DEFAULT 'joyful';
ALTER TABLE "diary" ALTER COLUMN "yesterday" TYPE "mood" USING "yesterday"::text::"mood";
DROP TYPE "mood__old";

-- changed enum 'mood': removed 'bored'
ALTER TYPE "mood" RENAME TO "mood__old";
CREATE TYPE "mood" AS ENUM ('angry', 'sad', 'it''s ok', 'calm', 'joyful');
ALTER TABLE "diary" ALTER COLUMN "today" DROP DEFAULT;
ALTER TABLE "diary" ALTER COLUMN "today" TYPE "mood" USING "today"::text::"mood";
ALTER TABLE "diary" ALTER COLUMN "today" SET DEFAULT 'joyful';
ALTER TABLE "diary" ALTER COLUMN "yesterday" TYPE "mood" USING "yesterday"::text::"mood";
DROP TYPE "mood__old";

-- renamed column 'diary.yesterday' to 'diary.last_night'
ALTER TABLE "diary" RENAME COLUMN "yesterday" TO "last_night";

-- removed table 'diary'
DROP TABLE "diary";

-- removed enum 'mood'
DROP TYPE "mood";

