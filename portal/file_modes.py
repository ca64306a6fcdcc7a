"""The portal's files are its user's alone: the SQLite database, the keys and the search index
in instance/ (and SEARCH_INDEX_DIR) hold people's records, so nobody else on the machine may
read them, whatever the umask the service was started with."""

import os

PRIVATE_UMASK = 0o077  # files 0600, folders 0700
PRIVATE_FOLDER = 0o700


def private_instance(instance_path: str) -> None:
    """Files the process creates from now on are owner-only; instance/ itself is 0700, which
    also closes the files an older version left readable there."""
    os.umask(os.umask(PRIVATE_UMASK) | PRIVATE_UMASK)
    private_folder(instance_path)


def private_folder(path) -> None:
    os.makedirs(path, mode=PRIVATE_FOLDER, exist_ok=True)
    try:
        os.chmod(path, PRIVATE_FOLDER)
    except PermissionError:  # not ours (a mounted volume): its owner decides
        pass
