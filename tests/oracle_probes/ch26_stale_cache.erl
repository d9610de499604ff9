%% issue 26, chapter 8 (notebook 08): a read-through cache in front of a store, both under
%% one supervisor.  The interleaving otp_lite.explore finds, forced by hand: the put reaches
%% the store and the cache, then the store is killed.  one_for_one restarts the store alone
%% (empty) and the cache keeps its copy; rest_for_one restarts the cache after it.
-module(ch26_stale_cache).
-export([main/0, init/1, handle_call/3, handle_cast/2]).

init(store) -> {ok, {store, #{}}};
init(cache) -> {ok, {cache, #{}}};
init({sup, Strategy}) ->
    Child = fun(Name) -> #{id => Name, start => {gen_server, start_link, [{local, Name}, ?MODULE, Name, []]}} end,
    {ok, {#{strategy => Strategy, intensity => 5, period => 10}, [Child(store), Child(cache)]}}.

handle_call({put, K, V}, _From, {store, D}) -> {reply, ok, {store, D#{K => V}}};
handle_call({get, K}, _From, {store, D}) -> {reply, maps:get(K, D, none), {store, D}};
handle_call({put, K, V} = Req, _From, {cache, C}) ->
    ok = gen_server:call(store, Req),
    {reply, ok, {cache, C#{K => V}}};
handle_call({get, K} = Req, _From, {cache, C}) ->
    C1 = case C of #{K := _} -> C; _ -> C#{K => gen_server:call(store, Req)} end,
    {reply, maps:get(K, C1), {cache, C1}}.

handle_cast(_, S) -> {noreply, S}.

main() ->
    logger:set_primary_config(level, none),
    [run(S) || S <- [one_for_one, rest_for_one, one_for_all]],
    ok.

run(Strategy) ->
    {ok, Sup} = supervisor:start_link({local, data_sup}, ?MODULE, {sup, Strategy}),
    ok = gen_server:call(cache, {put, x, 1}),
    exit(whereis(store), kill),
    timer:sleep(100),
    Seen = {gen_server:call(cache, {get, x}), gen_server:call(store, {get, x})},
    io:format("~p: cache ~p, store ~p~n", [Strategy, element(1, Seen), element(2, Seen)]),
    unlink(Sup), exit(Sup, shutdown), timer:sleep(50).
