"""Supervision of organizations after registration (seed 000: 随机抽查、年检年报、等级评估、执法监察;
seed 002: 清理整治). One module per part; each is imported here so Django finds its models."""

from .annual import *  # noqa: F403  (annual reports: 年检年报)
from .credit import CreditEvent, CreditRun, EnforcementCase, ListEntry, Objection  # noqa: F401
from .evaluation import (  # noqa: F401  (等级评估)
    Evaluation,
    EvaluationEvent,
    EvaluationObjection,
    EvaluationState,
    Indicator,
    IndicatorTree,
    Score,
    Track,
)
from .inspections import (  # noqa: F401  (random inspections)
    InspectionPlan,
    InspectionResult,
    InspectionTarget,
    Inspector,
    InspectorConflict,
    TargetInspector,
)
from .zombie import (  # noqa: F401  (清理整治)
    ActivityPhoto,
    ActivityRecord,
    Campaign,
    CampaignCase,
    CaseReassignment,
    ZombieScan,
    ZombieScore,
)
