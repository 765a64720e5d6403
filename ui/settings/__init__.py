"""The 设置 section: bureau and document numbers, templates, backups, users and About."""
