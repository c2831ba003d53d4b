"""Password hashing: Argon2id at OWASP's parameters (19 MiB, 2 passes, 1 lane).

Django's own Argon2 hasher asks 100 MiB and 8 lanes, and its default PBKDF2 a million SHA-256 rounds
(0.5 s of CPU per login on this machine, blocking a sync worker). A stored hash made with other
parameters or another algorithm is verified as it is and re-hashed with these at the next successful
login (Django calls ``must_update``).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2idHasher(Argon2PasswordHasher):
    # Same algorithm name as Django's: hashes stay readable if the parameters change again.
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
