"""The 随机抽取 section: prepare, witnesses and entropy, the projector, results and history."""
