CHECK (a > 0 AND "b c" <> 'it''s') /* x */ -- y
varchar(50)
numeric(10, 2)
