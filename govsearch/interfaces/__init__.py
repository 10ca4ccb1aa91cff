"""(docstring to come)"""
