"""Django's makemessages without fuzzy matching: a new Indonesian msgid starts empty (the translation
check then asks for its English) instead of borrowing a similar entry's English, which reads right
and means something else ('wilayah' guessed as 'Area', 'TPS' as 'PPS')."""

from django.core.management.commands.makemessages import Command as MakeMessages


class Command(MakeMessages):
    msgmerge_options = [*MakeMessages.msgmerge_options, "--no-fuzzy-matching"]
