"""Where Django finds the action plan's models: each lives with its capability (see actieplan/README.md).

Code inside ``actieplan`` imports a model from its capability (``actieplan.actions.models``); a site may
import any of them from here.
"""

from actieplan.partnerships.reference import (  # noqa: F401
    BoardDomain, MandateLevel, ReflectionQuestion, ReflectionTheme, ReflectionToolSettings,
)
from actieplan.partnerships.models import (  # noqa: F401
    Membership, Organisation, OrganisationType, Partnership, Profile, Province, Region, Role,
)
from actieplan.reflection.models import (  # noqa: F401
    BenchmarkSnapshot, PartnerKind, ReflectionResponse, ReflectionScore, ReflectionSession, ReflectionTicket,
)
from actieplan.actions.models import Action, ActionStatus, ActionUpdate, ImportReceipt  # noqa: F401
from actieplan.reminders.models import Heartbeat, Reminder, ReminderKind  # noqa: F401
from actieplan.ratelimits import RateCounter  # noqa: F401
from actieplan.meetings.models import (  # noqa: F401
    AgendaItem, AgendaItemStatus, Attendance, AttendanceStatus, CheckInAnswer, Decision, Meeting, MeetingKind,
    MeetingSeries, MinutesAddendum, RecurrenceRule,
)
from actieplan.progress.models import ProgressPage  # noqa: F401
from actieplan.submissions import SubmissionKey  # noqa: F401
from actieplan.search.models import SearchWord  # noqa: F401
from actieplan.following.models import (  # noqa: F401
    Change, ChangeKind, Follow, FollowerSettings, FollowReason, MailChoice,
)
