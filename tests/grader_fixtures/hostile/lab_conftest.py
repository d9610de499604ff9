
# ATTACK: the extra files in lab_conftest.files/ (a conftest.py in the lab folder).
