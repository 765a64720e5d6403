"""The reliability suite's own marker: stories that hash passwords at their real cost."""


def pytest_configure(config):
    config.addinivalue_line("markers", "full_cost_hashes: hash passwords with scrypt at the production cost")
