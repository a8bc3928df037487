"""Services: the only way the GUI, the CLI, imports and sync change data. No Qt here.

- ``records``: the generic ``create / update / tombstone / get / list_views`` driven by an ``EntitySpec``
  (``catalog.spec_for(table)`` finds one); validation errors name the field, in Chinese and English.
- ``regions``, ``households``, ``cadres``, ``supporters``, ``visits``, ``projects``: each entity's spec and
  the operations beyond plain edits (exit a household, close a follow-up, change a project's stage …).
- ``pairings``: pair, end, cadre leaving, bulk reassignment, history, caseloads, ``rule_violations``.
- ``search``: households and cadres by name, pinyin initials, full pinyin or ID suffix (indexed ranges).

Every function takes a ``Database`` (its own transaction) or a ``UnitOfWork`` (to compose several in one)
and returns ids or frozen views, never live ORM rows. Call from one thread at a time (the GUI's worker).
"""
