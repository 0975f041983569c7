"""Following: people follow actions, meetings and proeftuinen (the owner, creator, assignee and the invited by
default), every change that matters is recorded once, followers hear of it by mail (at once, in the weekly
digest, or not) through the reminder log, and "Sinds je laatste bezoek" lists what changed."""
