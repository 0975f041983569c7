"""Partnerships, organisations, regions and memberships, the reference data (themes, questions, mandate
levels, boards), and the one policy of who may see and manage what. The bottom of the action plan: it
imports nothing from the other capabilities.
"""
