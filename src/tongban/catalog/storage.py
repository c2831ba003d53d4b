from django.core.files.storage import Storage, storages


def public_storage() -> Storage:
    """The "public" entry of STORAGES: published blank forms and samples (served by catalog views).

    A callable, so migrations name this function rather than a settings-dependent object.
    """
    return storages["public"]
