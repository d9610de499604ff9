
# ATTACK: the extra files in pytest_py.files/ (a pytest.py in the lab folder).
