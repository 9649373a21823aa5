"""Records: find the record files, parse them with positions, check them against the schema,
the vocabularies and each other, and keep what each file gave in the record cache."""
