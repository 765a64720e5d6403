"""The 公示与统计 section: result and task publicity, the year's statistics and charts, the leadership report."""
