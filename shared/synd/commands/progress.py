"""Progress bars of the long commands (backfill, redrive): tqdm when it is installed (the `cli`
extra, not in the Lambda layer), else a silent stand-in with the same interface."""


def progress(iterable=None, **kwargs):
    """tqdm's progress bar, shown only on a terminal (disable=None); a silent stand-in without tqdm."""
    try:
        from tqdm import tqdm
    except ModuleNotFoundError:
        return Silent(iterable)
    return tqdm(iterable, disable=None, **kwargs)


class Silent:
    """A progress bar that shows nothing (no tqdm, or a quiet command)."""

    def __init__(self, iterable=None, **_):
        self.iterable = iterable or []

    def __iter__(self):
        return iter(self.iterable)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n=1):
        pass
