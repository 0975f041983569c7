"""Plan search: one search box over what a member may read of the plan (actions, progress notes, decisions,
agenda items, meetings and reflection comments), Dutch stemming and prefixes on PostgreSQL full text with a
SQLite fallback, and typo tolerance ("Bedoelde je: …") from a vocabulary of the words in the texts, shared with
the library."""
