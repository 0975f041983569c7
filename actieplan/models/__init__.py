from .reference import BoardDomain, MandateLevel, ReflectionQuestion, ReflectionTheme, ReflectionToolSettings  # noqa: F401
from .partnership import Membership, Organisation, OrganisationType, Partnership, Profile, Region, Role  # noqa: F401
from .reflection import PartnerKind, ReflectionResponse, ReflectionScore, ReflectionSession  # noqa: F401
from .action import Action, ActionStatus, ActionUpdate, ImportReceipt  # noqa: F401
from .reminder import Reminder, ReminderKind  # noqa: F401
from .meeting import AgendaItem, AgendaItemStatus, CheckInAnswer, Decision, Meeting, MeetingKind  # noqa: F401
from .progress import ProgressPage  # noqa: F401
