-- A Chinook-like music store schema, written by hand for mysql.
-- Loaded by tests/chinook.rs, then introspected and checked.

CREATE TABLE `Artist`
(
    `ArtistId` INT NOT NULL AUTO_INCREMENT,
    `Name` VARCHAR(120) NULL,
    CONSTRAINT `PK_Artist` PRIMARY KEY (`ArtistId`)
) ENGINE=InnoDB COMMENT='Recording artists';


CREATE TABLE `Genre`
(
    `GenreId` INT NOT NULL AUTO_INCREMENT,
    `Name` VARCHAR(120) NULL,
    CONSTRAINT `PK_Genre` PRIMARY KEY (`GenreId`)
) ENGINE=InnoDB;


CREATE TABLE `MediaType`
(
    `MediaTypeId` INT NOT NULL AUTO_INCREMENT,
    `Name` VARCHAR(120) NULL,
    CONSTRAINT `PK_MediaType` PRIMARY KEY (`MediaTypeId`)
) ENGINE=InnoDB;


CREATE TABLE `Album`
(
    `AlbumId` INT NOT NULL AUTO_INCREMENT,
    `Title` VARCHAR(160) NOT NULL,
    `ArtistId` INT NOT NULL,
    CONSTRAINT `PK_Album` PRIMARY KEY (`AlbumId`),
    CONSTRAINT `FK_AlbumArtistId` FOREIGN KEY (`ArtistId`) REFERENCES `Artist` (`ArtistId`) ON DELETE CASCADE
) ENGINE=InnoDB;

CREATE INDEX `IFK_AlbumArtistId` ON `Album` (`ArtistId`);

CREATE TABLE `Track`
(
    `TrackId` INT NOT NULL AUTO_INCREMENT,
    `Name` VARCHAR(200) NOT NULL,
    `AlbumId` INT NULL,
    `MediaTypeId` INT NOT NULL,
    `GenreId` INT NULL,
    `Composer` VARCHAR(220) NULL,
    `Milliseconds` INT NOT NULL,
    `Bytes` INT NULL,
    `UnitPrice` DECIMAL(10,2) NOT NULL DEFAULT 0.99,
    CONSTRAINT `PK_Track` PRIMARY KEY (`TrackId`),
    CONSTRAINT `FK_TrackAlbumId` FOREIGN KEY (`AlbumId`) REFERENCES `Album` (`AlbumId`) ON DELETE SET NULL,
    CONSTRAINT `FK_TrackGenreId` FOREIGN KEY (`GenreId`) REFERENCES `Genre` (`GenreId`),
    CONSTRAINT `FK_TrackMediaTypeId` FOREIGN KEY (`MediaTypeId`) REFERENCES `MediaType` (`MediaTypeId`)
) ENGINE=InnoDB;

CREATE INDEX `IFK_TrackAlbumId` ON `Track` (`AlbumId`);
CREATE INDEX `IFK_TrackGenreId` ON `Track` (`GenreId`);
CREATE INDEX `IFK_TrackMediaTypeId` ON `Track` (`MediaTypeId`);
CREATE UNIQUE INDEX `ix_TrackAlbumName` ON `Track` (`AlbumId`, `Name`);

CREATE TABLE `Employee`
(
    `EmployeeId` INT NOT NULL AUTO_INCREMENT,
    `LastName` VARCHAR(20) NOT NULL,
    `FirstName` VARCHAR(20) NOT NULL,
    `Title` VARCHAR(30) NULL,
    `ReportsTo` INT NULL,
    `BirthDate` DATETIME NULL,
    `HireDate` DATETIME NULL,
    `Email` VARCHAR(60) NULL,
    CONSTRAINT `PK_Employee` PRIMARY KEY (`EmployeeId`),
    CONSTRAINT `FK_EmployeeReportsTo` FOREIGN KEY (`ReportsTo`) REFERENCES `Employee` (`EmployeeId`)
) ENGINE=InnoDB;

CREATE INDEX `IFK_EmployeeReportsTo` ON `Employee` (`ReportsTo`);

CREATE TABLE `Customer`
(
    `CustomerId` INT NOT NULL AUTO_INCREMENT,
    `FirstName` VARCHAR(40) NOT NULL,
    `LastName` VARCHAR(20) NOT NULL,
    `Company` VARCHAR(80) NULL,
    `Country` VARCHAR(40) NULL DEFAULT 'USA',
    `Email` VARCHAR(60) NOT NULL COMMENT 'Unique login',
    `SupportRepId` INT NULL,
    CONSTRAINT `PK_Customer` PRIMARY KEY (`CustomerId`),
    CONSTRAINT `UQ_CustomerEmail` UNIQUE (`Email`),
    CONSTRAINT `FK_CustomerSupportRepId` FOREIGN KEY (`SupportRepId`) REFERENCES `Employee` (`EmployeeId`) ON DELETE SET NULL ON UPDATE CASCADE
) ENGINE=InnoDB;

CREATE INDEX `IFK_CustomerSupportRepId` ON `Customer` (`SupportRepId`);

CREATE TABLE `Invoice`
(
    `InvoiceId` INT NOT NULL AUTO_INCREMENT,
    `CustomerId` INT NOT NULL,
    `InvoiceDate` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    `BillingCountry` VARCHAR(40) NULL,
    `Total` DECIMAL(10,2) NOT NULL DEFAULT 0,
    CONSTRAINT `PK_Invoice` PRIMARY KEY (`InvoiceId`),
    CONSTRAINT `FK_InvoiceCustomerId` FOREIGN KEY (`CustomerId`) REFERENCES `Customer` (`CustomerId`)
) ENGINE=InnoDB COMMENT='Invoices sent to customers';

CREATE INDEX `IFK_InvoiceCustomerId` ON `Invoice` (`CustomerId`);
CREATE INDEX `IX_InvoiceDate` ON `Invoice` (`InvoiceDate` DESC, `Total`);

CREATE TABLE `InvoiceLine`
(
    `InvoiceLineId` INT NOT NULL AUTO_INCREMENT,
    `InvoiceId` INT NOT NULL,
    `TrackId` INT NOT NULL,
    `UnitPrice` DECIMAL(10,2) NOT NULL,
    `Quantity` INT NOT NULL DEFAULT 1,
    CONSTRAINT `PK_InvoiceLine` PRIMARY KEY (`InvoiceLineId`),
    CONSTRAINT `FK_InvoiceLineInvoiceId` FOREIGN KEY (`InvoiceId`) REFERENCES `Invoice` (`InvoiceId`) ON DELETE CASCADE,
    CONSTRAINT `FK_InvoiceLineTrackId` FOREIGN KEY (`TrackId`) REFERENCES `Track` (`TrackId`),
    CONSTRAINT `CK_InvoiceLineQuantity` CHECK (Quantity > 0)
) ENGINE=InnoDB;

CREATE INDEX `IFK_InvoiceLineInvoiceId` ON `InvoiceLine` (`InvoiceId`);
CREATE INDEX `IFK_InvoiceLineTrackId` ON `InvoiceLine` (`TrackId`);

CREATE TABLE `Playlist`
(
    `PlaylistId` INT NOT NULL AUTO_INCREMENT,
    `Name` VARCHAR(120) NULL,
    CONSTRAINT `PK_Playlist` PRIMARY KEY (`PlaylistId`)
) ENGINE=InnoDB;


CREATE TABLE `PlaylistTrack`
(
    `PlaylistId` INT NOT NULL,
    `TrackId` INT NOT NULL,
    CONSTRAINT `PK_PlaylistTrack` PRIMARY KEY (`PlaylistId`, `TrackId`),
    CONSTRAINT `FK_PlaylistTrackPlaylistId` FOREIGN KEY (`PlaylistId`) REFERENCES `Playlist` (`PlaylistId`) ON DELETE CASCADE,
    CONSTRAINT `FK_PlaylistTrackTrackId` FOREIGN KEY (`TrackId`) REFERENCES `Track` (`TrackId`)
) ENGINE=InnoDB;

CREATE INDEX `IFK_PlaylistTrackPlaylistId` ON `PlaylistTrack` (`PlaylistId`);
CREATE INDEX `IFK_PlaylistTrackTrackId` ON `PlaylistTrack` (`TrackId`);

CREATE TABLE `migrate_version` (`version_num` VARCHAR(64) NOT NULL PRIMARY KEY);
