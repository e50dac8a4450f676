"""Fixtures of the publish integration tests (helpers in publish_stack.py, samples in tests/unit/publish)."""

import pytest


from tests.integration.publish.publish_stack import mocked_stack, write_config


@pytest.fixture()
def stack():
    with mocked_stack() as created:
        yield created


@pytest.fixture()
def handler(stack, monkeypatch, tmp_path):
    """The publish Lambda's module, configured for the mocked stack; call .configure(hook_url) first."""
    import importlib

    from synd import settings

    for name, value in stack.environ().items():
        monkeypatch.setenv(name, value)
    app = importlib.import_module("publish.app")
    app.config.cache_clear()

    def configure(hook_url: str, paid_url: str | None = None, **hook_options):
        monkeypatch.setenv("SYND_CONFIG_DIR", str(write_config(tmp_path / "config", hook_url, paid_url=paid_url,
                                                               **hook_options)))
        settings.reload()
        return app

    app.configure = configure
    yield app
    app.config.cache_clear()
    settings.reload()
