"""Demo content of the action plan, from source documents 000, 002 and 003 (see lobplatform/demo)."""
