"""The 检查与整改 section: to-do list, inspection records, notices and the holiday calendar."""
