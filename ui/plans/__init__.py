"""The 抽查计划 screens."""
