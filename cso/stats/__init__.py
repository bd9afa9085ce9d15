"""Targets and statistical indicators, computed from the registry's history.

- ``targets``: effective targets per division and year (a row on the nearest ancestor wins, else the
  seed defaults) and the per-province rule of which communities count as urban.
- ``indicators``: the indicator definitions (``INDICATORS``, written once) and the engine
  (``compute``, ``community_stats`` / ``CommunityList``, ``drill_url``, ``quarter_bounds``) that
  tables, dashboards, exports and the API all use.
- pages: ``/stats/`` (indicators by child division), ``/stats/communities/`` (the community list
  and cultivation to-do list), ``/stats/changes/`` (organizations new or ended in the period),
  ``/stats/targets/`` (targets and the urban rule); API under ``/api/stats/``.
- ``python -m cso.stats.bench`` times the engine on the national database (read-only).
"""
