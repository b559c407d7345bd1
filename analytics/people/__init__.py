"""People who use Duo Impact: users and sign-in (:mod:`.users`, argon2 hashes,
lock-out) and the audit log of what was done with personal data (:mod:`.audit`)."""
