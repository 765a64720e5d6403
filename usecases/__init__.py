"""Use cases that read files or render documents and write the database in one transaction.

Imports, notices, demo, self-test.
"""
