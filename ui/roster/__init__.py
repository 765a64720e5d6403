"""The 名录库 screens: objects, inspectors, 回避 pairs, and Excel import/export."""
