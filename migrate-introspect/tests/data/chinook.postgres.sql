-- A Chinook-like music store schema, written by hand for postgres.
-- Loaded by tests/chinook.rs, then introspected and checked.

CREATE TABLE "Artist"
(
    "ArtistId" SERIAL NOT NULL,
    "Name" VARCHAR(120) NULL,
    CONSTRAINT "PK_Artist" PRIMARY KEY ("ArtistId")
);

COMMENT ON TABLE "Artist" IS 'Recording artists';

CREATE TABLE "Genre"
(
    "GenreId" SERIAL NOT NULL,
    "Name" VARCHAR(120) NULL,
    CONSTRAINT "PK_Genre" PRIMARY KEY ("GenreId")
);


CREATE TABLE "MediaType"
(
    "MediaTypeId" SERIAL NOT NULL,
    "Name" VARCHAR(120) NULL,
    CONSTRAINT "PK_MediaType" PRIMARY KEY ("MediaTypeId")
);


CREATE TABLE "Album"
(
    "AlbumId" SERIAL NOT NULL,
    "Title" VARCHAR(160) NOT NULL,
    "ArtistId" INTEGER NOT NULL,
    CONSTRAINT "PK_Album" PRIMARY KEY ("AlbumId"),
    CONSTRAINT "FK_AlbumArtistId" FOREIGN KEY ("ArtistId") REFERENCES "Artist" ("ArtistId") ON DELETE CASCADE
);

CREATE INDEX "IFK_AlbumArtistId" ON "Album" ("ArtistId");

CREATE TABLE "Track"
(
    "TrackId" SERIAL NOT NULL,
    "Name" VARCHAR(200) NOT NULL,
    "AlbumId" INTEGER NULL,
    "MediaTypeId" INTEGER NOT NULL,
    "GenreId" INTEGER NULL,
    "Composer" VARCHAR(220) NULL,
    "Milliseconds" INTEGER NOT NULL,
    "Bytes" INTEGER NULL,
    "UnitPrice" NUMERIC(10,2) NOT NULL DEFAULT 0.99,
    CONSTRAINT "PK_Track" PRIMARY KEY ("TrackId"),
    CONSTRAINT "FK_TrackAlbumId" FOREIGN KEY ("AlbumId") REFERENCES "Album" ("AlbumId") ON DELETE SET NULL,
    CONSTRAINT "FK_TrackGenreId" FOREIGN KEY ("GenreId") REFERENCES "Genre" ("GenreId"),
    CONSTRAINT "FK_TrackMediaTypeId" FOREIGN KEY ("MediaTypeId") REFERENCES "MediaType" ("MediaTypeId")
);

CREATE INDEX "IFK_TrackAlbumId" ON "Track" ("AlbumId");
CREATE INDEX "IFK_TrackGenreId" ON "Track" ("GenreId");
CREATE INDEX "IFK_TrackMediaTypeId" ON "Track" ("MediaTypeId");
CREATE UNIQUE INDEX "ix_TrackAlbumName" ON "Track" ("AlbumId", "Name");

CREATE TABLE "Employee"
(
    "EmployeeId" SERIAL NOT NULL,
    "LastName" VARCHAR(20) NOT NULL,
    "FirstName" VARCHAR(20) NOT NULL,
    "Title" VARCHAR(30) NULL,
    "ReportsTo" INTEGER NULL,
    "BirthDate" TIMESTAMP NULL,
    "HireDate" TIMESTAMP NULL,
    "Email" VARCHAR(60) NULL,
    CONSTRAINT "PK_Employee" PRIMARY KEY ("EmployeeId"),
    CONSTRAINT "FK_EmployeeReportsTo" FOREIGN KEY ("ReportsTo") REFERENCES "Employee" ("EmployeeId")
);

CREATE INDEX "IFK_EmployeeReportsTo" ON "Employee" ("ReportsTo");

CREATE TABLE "Customer"
(
    "CustomerId" SERIAL NOT NULL,
    "FirstName" VARCHAR(40) NOT NULL,
    "LastName" VARCHAR(20) NOT NULL,
    "Company" VARCHAR(80) NULL,
    "Country" VARCHAR(40) NULL DEFAULT 'USA',
    "Email" VARCHAR(60) NOT NULL,
    "SupportRepId" INTEGER NULL,
    CONSTRAINT "PK_Customer" PRIMARY KEY ("CustomerId"),
    CONSTRAINT "UQ_CustomerEmail" UNIQUE ("Email"),
    CONSTRAINT "FK_CustomerSupportRepId" FOREIGN KEY ("SupportRepId") REFERENCES "Employee" ("EmployeeId") ON DELETE SET NULL ON UPDATE CASCADE
);

CREATE INDEX "IFK_CustomerSupportRepId" ON "Customer" ("SupportRepId");

CREATE TABLE "Invoice"
(
    "InvoiceId" SERIAL NOT NULL,
    "CustomerId" INTEGER NOT NULL,
    "InvoiceDate" TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "BillingCountry" VARCHAR(40) NULL,
    "Total" NUMERIC(10,2) NOT NULL DEFAULT 0,
    CONSTRAINT "PK_Invoice" PRIMARY KEY ("InvoiceId"),
    CONSTRAINT "FK_InvoiceCustomerId" FOREIGN KEY ("CustomerId") REFERENCES "Customer" ("CustomerId")
);

CREATE INDEX "IFK_InvoiceCustomerId" ON "Invoice" ("CustomerId");
CREATE INDEX "IX_InvoiceDate" ON "Invoice" ("InvoiceDate" DESC, "Total");
COMMENT ON TABLE "Invoice" IS 'Invoices sent to customers';

CREATE TABLE "InvoiceLine"
(
    "InvoiceLineId" SERIAL NOT NULL,
    "InvoiceId" INTEGER NOT NULL,
    "TrackId" INTEGER NOT NULL,
    "UnitPrice" NUMERIC(10,2) NOT NULL,
    "Quantity" INTEGER NOT NULL DEFAULT 1,
    CONSTRAINT "PK_InvoiceLine" PRIMARY KEY ("InvoiceLineId"),
    CONSTRAINT "FK_InvoiceLineInvoiceId" FOREIGN KEY ("InvoiceId") REFERENCES "Invoice" ("InvoiceId") ON DELETE CASCADE,
    CONSTRAINT "FK_InvoiceLineTrackId" FOREIGN KEY ("TrackId") REFERENCES "Track" ("TrackId"),
    CONSTRAINT "CK_InvoiceLineQuantity" CHECK ("Quantity" > 0)
);

CREATE INDEX "IFK_InvoiceLineInvoiceId" ON "InvoiceLine" ("InvoiceId");
CREATE INDEX "IFK_InvoiceLineTrackId" ON "InvoiceLine" ("TrackId");

CREATE TABLE "Playlist"
(
    "PlaylistId" SERIAL NOT NULL,
    "Name" VARCHAR(120) NULL,
    CONSTRAINT "PK_Playlist" PRIMARY KEY ("PlaylistId")
);


CREATE TABLE "PlaylistTrack"
(
    "PlaylistId" INTEGER NOT NULL,
    "TrackId" INTEGER NOT NULL,
    CONSTRAINT "PK_PlaylistTrack" PRIMARY KEY ("PlaylistId", "TrackId"),
    CONSTRAINT "FK_PlaylistTrackPlaylistId" FOREIGN KEY ("PlaylistId") REFERENCES "Playlist" ("PlaylistId") ON DELETE CASCADE,
    CONSTRAINT "FK_PlaylistTrackTrackId" FOREIGN KEY ("TrackId") REFERENCES "Track" ("TrackId")
);

CREATE INDEX "IFK_PlaylistTrackPlaylistId" ON "PlaylistTrack" ("PlaylistId");
CREATE INDEX "IFK_PlaylistTrackTrackId" ON "PlaylistTrack" ("TrackId");

COMMENT ON COLUMN "Customer"."Email" IS 'Unique login';

CREATE TABLE "migrate_version" ("version_num" VARCHAR(64) NOT NULL PRIMARY KEY);
