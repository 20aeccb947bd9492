"""The kiosk's Kivy touch UI: screens that render the session and forward touches.

Import :mod:`kiosk.ui.kivy_setup` and call ``configure_kivy()`` before anything that
imports Kivy widgets: Kivy reads its window configuration when the window module loads.
The pure helpers (:mod:`palette`, :mod:`texts`) import no Kivy.
"""
