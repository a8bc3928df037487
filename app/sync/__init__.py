"""Sync by package between township, county and city (see ../shared/ARCHITECTURE.md, "Sync by package").

Modules: ``models`` (the sync tables), ``keys`` (identities, certificates, the signed peer directory),
``package`` (the file format: header, age payload, Ed25519 signature), ``exporter``, ``merge`` (applying
remote audit entries field by field), ``importer`` (verify → decrypt → check → apply, receipts, summaries),
``rules`` (checks after a merge), ``queue`` (conflicts, quarantine, status). No Qt here.
"""
