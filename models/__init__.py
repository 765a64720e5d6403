"""Domain layer of 双随机 desk: database, models and pure services. No Qt here."""
