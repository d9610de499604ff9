"""Book ch. 6, Finite State Machines: the earth, the coffee machine (plain, gen_fsm, gen_statem), the phone controllers."""
