"""Excel / CSV import and export, ledgers, templates and monthly reports. No Qt here (see ui/ for wizards).

Modules: ``sheets`` reads workbooks into plain rows; ``layout`` finds the table inside a sheet (title rows,
two-row merged headers, totals rows, footnotes); ``values`` turns the values people type into domain
values; ``columns`` declares what each import kind expects and matches headers by synonyms; ``mappings``
remembers a confirmed mapping per layout; ``importer`` plans (dry run) and applies an import; ``xlsx``
writes workbooks in the officers' layout; ``ledgers``, ``templates`` and ``report`` build the files.
"""
