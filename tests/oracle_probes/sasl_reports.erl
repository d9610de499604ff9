-module(sasl_reports).
-behaviour(supervisor).
-behaviour(gen_server).
-export([init/1, handle_call/3, handle_cast/2, start_worker/0, main/0]).
%% The four report kinds side by side (book ch. 9): progress, error, crash, supervisor.
start_worker() -> gen_server:start_link({local, worker}, ?MODULE, worker, []).
init(sup) -> {ok, {#{strategy => one_for_one}, [#{id => worker, start => {?MODULE, start_worker, []}}]}};
init(worker) -> {ok, 0}.
handle_call(crash, _From, _S) -> 1 / list_to_integer("0");
handle_call(_, _From, S) -> {reply, S, S}.
handle_cast(_, S) -> {noreply, S}.
main() ->
    logger:set_primary_config(level, info),
    logger:set_handler_config(default, formatter, {logger_formatter, #{legacy_header => true, single_line => false}}),
    {ok, _} = supervisor:start_link({local, demo_sup}, ?MODULE, sup),
    catch gen_server:call(worker, crash),
    timer:sleep(50),
    logger:error("the frequency server is out of frequencies"),
    timer:sleep(50).
