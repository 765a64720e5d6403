"""Documents in and out: Word notices, Excel import/export, charts. No Qt here."""
