%% How systools (OTP 25) expands each high-level appup instruction into the
%% low-level relup instructions: systools_rc:translate_scripts/3, the function
%% systools:make_relup calls.  One application `coffee`, modules coffee_fsm,
%% coffee_sup, coffee_app, hw (new in 1.1: hw; gone: old_hw).
-module(ch12_appup_instructions).
-export([main/0]).
%% the field order of systools.hrl's #application{} (sasl 4.2)
-record(application, {name, type = permanent, vsn = "", id = "", description = "",
                      modules = [], uses = [], optional = [], includes = [], regs = [],
                      env = [], maxT = infinity, maxP = infinity, mod = [],
                      start_phases, dir = ""}).

app(Vsn, Mods) ->
    #application{name = coffee, vsn = Vsn, modules = Mods, uses = [kernel, stdlib]}.

show(Label, Instrs) ->
    New = app("1.1", [coffee_fsm, coffee_sup, coffee_app, hw]),
    Old = app("1.0", [coffee_fsm, coffee_sup, coffee_app, old_hw]),
    R = (catch systools_rc:translate_scripts([Instrs], [New], [Old])),
    io:format("~s~n  ~p~n  -> ~p~n", [Label, Instrs, R]).

main() ->
    show("update advanced", [{update, coffee_fsm, {advanced, {}}}]),
    show("update soft (no extra)", [{update, coffee_fsm}]),
    show("update with DepMods", [{update, coffee_fsm, {advanced, {}}, [hw]}]),
    show("update soft_purge", [{update, coffee_fsm, {advanced, {}}, soft_purge, soft_purge, []}]),
    show("update supervisor", [{update, coffee_sup, supervisor}]),
    show("load_module", [{load_module, hw}]),
    show("load_module purge opts + deps", [{load_module, hw, soft_purge, soft_purge, [coffee_fsm]}]),
    show("add_module", [{add_module, hw}]),
    show("delete_module", [{delete_module, old_hw}]),
    show("apply", [{apply, {io, format, ["upgraded~n"]}}]),
    show("restart_application", [{restart_application, coffee}]),
    show("add_application", [{add_application, coffee}]),
    show("remove_application", [{remove_application, coffee}]),
    show("DepMods ordering: hw after coffee_fsm in appup, coffee_fsm depends on hw",
         [{update, coffee_fsm, {advanced, {}}, [hw]}, {load_module, hw}]),
    show("two updates", [{update, coffee_fsm, {advanced, {}}}, {update, coffee_sup, supervisor}]),
    show("restart_new_emulator", [restart_new_emulator, {load_module, hw}]),
    show("restart_emulator", [{load_module, hw}, restart_emulator]),
    show("bad instruction", [{frobnicate, hw}]),
    show("two DepMods chains, a -> b -> c given c, a, b",
         [{load_module, hw, [coffee_app]}, {update, coffee_fsm, {advanced, x}, [hw]}, {load_module, coffee_app}]),
    show("muldef", [{load_module, hw}, {add_module, hw}]),
    show("restart_new_emulator down", dn, [restart_new_emulator, {load_module, hw}]),
    show("supervisor down", dn, [{update, coffee_sup, supervisor}, {update, coffee_fsm, {advanced, {}}}]),
    %% coffee 1.1 -> 1.2, the notebook's example (application coffee)
    New12 = #application{name = coffee, vsn = "1.2", modules = [coffee_app, coffee_sup, coffee_fsm, coffee_price]},
    Old11 = #application{name = coffee, vsn = "1.1", modules = [coffee_app, coffee_sup, coffee_fsm]},
    Up = [{add_module, coffee_price},
          {update, coffee_fsm, {advanced, {}}, [coffee_price]},
          {load_module, coffee_app, soft_purge, soft_purge, []},
          {apply, {coffee_price, announce, []}}],
    io:format("coffee 1.1 -> 1.2 up~n  ~p~n  -> ~p~n", [Up, systools_rc:translate_scripts(up, [Up], [New12], [Old11])]),
    Dn = [{restart_application, coffee}],
    io:format("coffee 1.2 -> 1.1 down~n  ~p~n  -> ~p~n", [Dn, systools_rc:translate_scripts(dn, [Dn], [Old11], [New12])]),
    ok.

show(Label, Mode, Instrs) ->
    New = app("1.1", [coffee_fsm, coffee_sup, coffee_app, hw]),
    Old = app("1.0", [coffee_fsm, coffee_sup, coffee_app, old_hw]),
    R = (catch systools_rc:translate_scripts(Mode, [Instrs], [New], [Old])),
    io:format("~s (~p)~n  ~p~n  -> ~p~n", [Label, Mode, Instrs, R]).
