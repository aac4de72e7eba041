"""Accounts (SPEC §13 "Auth"): API tokens that expire and can be revoked, and the login lockout —
10 failures for one username from one address within 15 minutes lock that pair out for 15 minutes
(django-axes), in the browser and the API alike."""
