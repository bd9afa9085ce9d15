from ninja import Router

router = Router(tags=["社会组织"])
