-- A Chinook-like music store schema, written by hand for sqlite.
-- Loaded by tests/chinook.rs, then introspected and checked.

CREATE TABLE "Artist"
(
    "ArtistId" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "Name" NVARCHAR(120) NULL
);


CREATE TABLE "Genre"
(
    "GenreId" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "Name" NVARCHAR(120) NULL
);


CREATE TABLE "MediaType"
(
    "MediaTypeId" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "Name" NVARCHAR(120) NULL
);


CREATE TABLE "Album"
(
    "AlbumId" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "Title" NVARCHAR(160) NOT NULL,
    "ArtistId" INTEGER NOT NULL,
    CONSTRAINT "FK_AlbumArtistId" FOREIGN KEY ("ArtistId") REFERENCES "Artist" ("ArtistId") ON DELETE CASCADE
);

CREATE INDEX "IFK_AlbumArtistId" ON "Album" ("ArtistId");

CREATE TABLE "Track"
(
    "TrackId" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "Name" NVARCHAR(200) NOT NULL,
    "AlbumId" INTEGER NULL,
    "MediaTypeId" INTEGER NOT NULL,
    "GenreId" INTEGER NULL,
    "Composer" NVARCHAR(220) NULL,
    "Milliseconds" INTEGER NOT NULL,
    "Bytes" INTEGER NULL,
    "UnitPrice" NUMERIC(10,2) NOT NULL DEFAULT 0.99,
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
    "EmployeeId" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "LastName" NVARCHAR(20) NOT NULL,
    "FirstName" NVARCHAR(20) NOT NULL,
    "Title" NVARCHAR(30) NULL,
    "ReportsTo" INTEGER NULL,
    "BirthDate" DATETIME NULL,
    "HireDate" DATETIME NULL,
    "Email" NVARCHAR(60) NULL,
    CONSTRAINT "FK_EmployeeReportsTo" FOREIGN KEY ("ReportsTo") REFERENCES "Employee" ("EmployeeId")
);

CREATE INDEX "IFK_EmployeeReportsTo" ON "Employee" ("ReportsTo");

CREATE TABLE "Customer"
(
    "CustomerId" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "FirstName" NVARCHAR(40) NOT NULL,
    "LastName" NVARCHAR(20) NOT NULL,
    "Company" NVARCHAR(80) NULL,
    "Country" NVARCHAR(40) NULL DEFAULT 'USA',
    "Email" NVARCHAR(60) NOT NULL,
    "SupportRepId" INTEGER NULL,
    CONSTRAINT "UQ_CustomerEmail" UNIQUE ("Email"),
    CONSTRAINT "FK_CustomerSupportRepId" FOREIGN KEY ("SupportRepId") REFERENCES "Employee" ("EmployeeId") ON DELETE SET NULL ON UPDATE CASCADE
);

CREATE INDEX "IFK_CustomerSupportRepId" ON "Customer" ("SupportRepId");

CREATE TABLE "Invoice"
(
    "InvoiceId" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "CustomerId" INTEGER NOT NULL,
    "InvoiceDate" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "BillingCountry" NVARCHAR(40) NULL,
    "Total" NUMERIC(10,2) NOT NULL DEFAULT 0,
    CONSTRAINT "FK_InvoiceCustomerId" FOREIGN KEY ("CustomerId") REFERENCES "Customer" ("CustomerId")
);

CREATE INDEX "IFK_InvoiceCustomerId" ON "Invoice" ("CustomerId");
CREATE INDEX "IX_InvoiceDate" ON "Invoice" ("InvoiceDate" DESC, "Total");

CREATE TABLE "InvoiceLine"
(
    "InvoiceLineId" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "InvoiceId" INTEGER NOT NULL,
    "TrackId" INTEGER NOT NULL,
    "UnitPrice" NUMERIC(10,2) NOT NULL,
    "Quantity" INTEGER NOT NULL DEFAULT 1,
    CONSTRAINT "FK_InvoiceLineInvoiceId" FOREIGN KEY ("InvoiceId") REFERENCES "Invoice" ("InvoiceId") ON DELETE CASCADE,
    CONSTRAINT "FK_InvoiceLineTrackId" FOREIGN KEY ("TrackId") REFERENCES "Track" ("TrackId"),
    CONSTRAINT "CK_InvoiceLineQuantity" CHECK (Quantity > 0)
);

CREATE INDEX "IFK_InvoiceLineInvoiceId" ON "InvoiceLine" ("InvoiceId");
CREATE INDEX "IFK_InvoiceLineTrackId" ON "InvoiceLine" ("TrackId");

CREATE TABLE "Playlist"
(
    "PlaylistId" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "Name" NVARCHAR(120) NULL
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

CREATE TABLE "migrate_version" ("version_num" VARCHAR(64) NOT NULL PRIMARY KEY);
