# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_mkt_global_optspecs
    string join \n output= base-url= q/quiet v/verbose no-progress h/help V/version
end

function __fish_mkt_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_mkt_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_mkt_using_subcommand
    set -l cmd (__fish_mkt_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c mkt -n "__fish_mkt_needs_command" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_needs_command" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_needs_command" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_needs_command" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_needs_command" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_needs_command" -s V -l version -d 'Print version'
complete -c mkt -n "__fish_mkt_needs_command" -f -a "numerbay" -d 'NumerBay: account, listings, orders, seller uploads and buyer downloads'
complete -c mkt -n "__fish_mkt_needs_command" -f -a "crowdcent" -d 'CrowdCent Challenge: data downloads, submissions and local scoring'
complete -c mkt -n "__fish_mkt_needs_command" -f -a "frame" -d 'CSV and Parquet frames: convert, validate predictions, inspect'
complete -c mkt -n "__fish_mkt_needs_command" -f -a "keys" -d 'NumerBay key pairs: generate and show key files'
complete -c mkt -n "__fish_mkt_needs_command" -f -a "crypto" -d 'Seal and open files with libsodium-compatible sealed boxes'
complete -c mkt -n "__fish_mkt_needs_command" -f -a "sandbox" -d 'A local NumerBay + CrowdCent server for offline rehearsals'
complete -c mkt -n "__fish_mkt_needs_command" -f -a "config" -d 'Read and write defaults in the mkt config file'
complete -c mkt -n "__fish_mkt_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c mkt -n "__fish_mkt_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and not __fish_seen_subcommand_from account orders sales listings search globals artifacts submit download autopilot lock help" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and not __fish_seen_subcommand_from account orders sales listings search globals artifacts submit download autopilot lock help" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and not __fish_seen_subcommand_from account orders sales listings search globals artifacts submit download autopilot lock help" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and not __fish_seen_subcommand_from account orders sales listings search globals artifacts submit download autopilot lock help" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and not __fish_seen_subcommand_from account orders sales listings search globals artifacts submit download autopilot lock help" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and not __fish_seen_subcommand_from account orders sales listings search globals artifacts submit download autopilot lock help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and not __fish_seen_subcommand_from account orders sales listings search globals artifacts submit download autopilot lock help" -f -a "account" -d 'Show the logged-in account'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and not __fish_seen_subcommand_from account orders sales listings search globals artifacts submit download autopilot lock help" -f -a "orders" -d 'List the orders you bought'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and not __fish_seen_subcommand_from account orders sales listings search globals artifacts submit download autopilot lock help" -f -a "sales" -d 'List the orders of your products'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and not __fish_seen_subcommand_from account orders sales listings search globals artifacts submit download autopilot lock help" -f -a "listings" -d 'List your own products'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and not __fish_seen_subcommand_from account orders sales listings search globals artifacts submit download autopilot lock help" -f -a "search" -d 'Search products'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and not __fish_seen_subcommand_from account orders sales listings search globals artifacts submit download autopilot lock help" -f -a "globals" -d 'Show the site globals (selling round, totals)'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and not __fish_seen_subcommand_from account orders sales listings search globals artifacts submit download autopilot lock help" -f -a "artifacts" -d 'List a product\'s or an order\'s artifacts'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and not __fish_seen_subcommand_from account orders sales listings search globals artifacts submit download autopilot lock help" -f -a "submit" -d 'Upload a file to a product (seller)'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and not __fish_seen_subcommand_from account orders sales listings search globals artifacts submit download autopilot lock help" -f -a "download" -d 'Download a purchased file (buyer)'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and not __fish_seen_subcommand_from account orders sales listings search globals artifacts submit download autopilot lock help" -f -a "autopilot" -d 'Upload for every new sale of a product, all round, unattended (seller)'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and not __fish_seen_subcommand_from account orders sales listings search globals artifacts submit download autopilot lock help" -f -a "lock" -d 'Lock a product for a round so it can no longer be bought'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and not __fish_seen_subcommand_from account orders sales listings search globals artifacts submit download autopilot lock help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from account" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from account" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from account" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from account" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from account" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from account" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from orders" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from orders" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from orders" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from orders" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from orders" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from orders" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from sales" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from sales" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from sales" -l active -d 'Only confirmed sales covering the current selling round'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from sales" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from sales" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from sales" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from sales" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from listings" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from listings" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from listings" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from listings" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from listings" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from listings" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from search" -l category -d 'Exact category slug (e.g. numerai-predictions, signals-data)' -r
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from search" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from search" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from search" -l active-only -d 'Hide delisted products'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from search" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from search" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from search" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from search" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from globals" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from globals" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from globals" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from globals" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from globals" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from globals" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from artifacts" -l product -d 'Product full name (`<category slug>-<name>`, e.g. numerai-predictions-mymodel)' -r
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from artifacts" -l product-id -d 'Product id' -r
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from artifacts" -l order-id -d 'List this order\'s artifacts instead (buyer or seller of the order)' -r
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from artifacts" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from artifacts" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from artifacts" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from artifacts" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from artifacts" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from artifacts" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from submit" -l product -d 'Product full name (`<category slug>-<name>`, e.g. numerai-predictions-mymodel)' -r
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from submit" -l product-id -d 'Product id' -r
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from submit" -l order-id -d 'Only upload the copy for this order (encrypted products); it must be an active sale' -r
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from submit" -l concurrency -d 'How many copies to upload at the same time (default 8, or numerbay.concurrency)' -r
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from submit" -l rules -d 'Validation rules (default: from the product\'s category: numerai-classic for Numerai predictions, numerai-signals for Signals)' -r
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from submit" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from submit" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from submit" -l no-validate -d 'Upload without validating the file first'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from submit" -l replace -d 'Send a fresh copy to every target, even those that already hold one for this round'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from submit" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from submit" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from submit" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from submit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from download" -l product -d 'Product full name (`<category slug>-<name>`, e.g. numerai-predictions-mymodel)' -r
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from download" -l product-id -d 'Product id' -r
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from download" -l order-id -d 'The order whose file to download' -r
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from download" -l artifact-id -d 'An exact artifact: an integer (product artifact) or 32 hex characters (order artifact)' -r
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from download" -l key-file -d 'Key file exported from NumerBay, for files sealed to your key (default: NUMERBAY_KEY_PATH, NUMERBAY_KEY_BASE64, the config\'s numerbay.key_file, ./numerbay.json)' -r -F
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from download" -s o -l out -d 'Destination file, existing directory or - for standard output (default: the artifact\'s name, reduced to a safe file name, in the current directory)' -r -F
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from download" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from download" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from download" -l force -d 'Let the artifact\'s own name replace an existing file (a path given with --out is always replaced)'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from download" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from download" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from download" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from download" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from autopilot" -l product -d 'Product full name (`<category slug>-<name>`) or id' -r
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from autopilot" -l predictions -d 'The predictions file (re-validated whenever it changes)' -r -F
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from autopilot" -l predictions-cmd -d 'A command run once per round that writes the predictions to `{out}` (`{round}` is the round)' -r
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from autopilot" -l rules -d 'Validation rules the predictions must pass before any upload' -r
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from autopilot" -l interval -d 'Time between ticks (e.g. 30, 60s, 15m)' -r
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from autopilot" -l until -d 'Stop after one tick, or when the selling round advances (default: run until stopped)' -r -f -a "once\t'After one tick (for timers and cron); exit 1 if a copy failed, 5 if predictions are invalid'
round-close\t'When the selling round advances or uploads are refused because the round closed'"
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from autopilot" -l webhook-listen -d 'Listen for NumerBay webhook POSTs on PORT (bound to 127.0.0.1) or ADDR:PORT; each one asks for a tick. Any address but loopback needs --webhook-secret' -r
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from autopilot" -l webhook-secret -d 'Accept only webhooks carrying this secret, as `?token=SECRET` in the URL registered on NumerBay or as `Authorization: Bearer SECRET` (letters, digits, `-_.~`; e.g. `openssl rand -hex 32`)' -r
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from autopilot" -l min-tick-interval -d 'Webhook-triggered ticks start at most once per this time; requests meanwhile are merged' -r
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from autopilot" -l state-file -d 'State file (default: `$XDG_STATE_HOME/mkt/autopilot-PRODUCT.json`)' -r -F
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from autopilot" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from autopilot" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from autopilot" -l lock-after-upload -d 'Lock the product for the round once every copy of the round is delivered'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from autopilot" -l print-systemd -d 'Print a systemd unit for this command line and exit (no credentials, no network)'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from autopilot" -l print-cron -d 'Print a crontab line for this command line and exit (no credentials, no network)'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from autopilot" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from autopilot" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from autopilot" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from autopilot" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from lock" -l product -d 'Product full name (`<category slug>-<name>`, e.g. numerai-predictions-mymodel)' -r
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from lock" -l product-id -d 'Product id' -r
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from lock" -l round -d 'Round to lock (default: the selling round)' -r
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from lock" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from lock" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from lock" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from lock" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from lock" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from lock" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from help" -f -a "account" -d 'Show the logged-in account'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from help" -f -a "orders" -d 'List the orders you bought'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from help" -f -a "sales" -d 'List the orders of your products'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from help" -f -a "listings" -d 'List your own products'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from help" -f -a "search" -d 'Search products'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from help" -f -a "globals" -d 'Show the site globals (selling round, totals)'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from help" -f -a "artifacts" -d 'List a product\'s or an order\'s artifacts'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from help" -f -a "submit" -d 'Upload a file to a product (seller)'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from help" -f -a "download" -d 'Download a purchased file (buyer)'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from help" -f -a "autopilot" -d 'Upload for every new sale of a product, all round, unattended (seller)'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from help" -f -a "lock" -d 'Lock a product for a round so it can no longer be bought'
complete -c mkt -n "__fish_mkt_using_subcommand numerbay; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and not __fish_seen_subcommand_from challenges challenge training inference meta-model submissions submit auth-check performance score targets run-daily list-training-data get-training-data download-training-data list-inference-data get-inference-data download-inference-data download-meta-model list-submissions get-submission help" -s c -l challenge -d 'Challenge slug (before or after the subcommand)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and not __fish_seen_subcommand_from challenges challenge training inference meta-model submissions submit auth-check performance score targets run-daily list-training-data get-training-data download-training-data list-inference-data get-inference-data download-inference-data download-meta-model list-submissions get-submission help" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and not __fish_seen_subcommand_from challenges challenge training inference meta-model submissions submit auth-check performance score targets run-daily list-training-data get-training-data download-training-data list-inference-data get-inference-data download-inference-data download-meta-model list-submissions get-submission help" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and not __fish_seen_subcommand_from challenges challenge training inference meta-model submissions submit auth-check performance score targets run-daily list-training-data get-training-data download-training-data list-inference-data get-inference-data download-inference-data download-meta-model list-submissions get-submission help" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and not __fish_seen_subcommand_from challenges challenge training inference meta-model submissions submit auth-check performance score targets run-daily list-training-data get-training-data download-training-data list-inference-data get-inference-data download-inference-data download-meta-model list-submissions get-submission help" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and not __fish_seen_subcommand_from challenges challenge training inference meta-model submissions submit auth-check performance score targets run-daily list-training-data get-training-data download-training-data list-inference-data get-inference-data download-inference-data download-meta-model list-submissions get-submission help" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and not __fish_seen_subcommand_from challenges challenge training inference meta-model submissions submit auth-check performance score targets run-daily list-training-data get-training-data download-training-data list-inference-data get-inference-data download-inference-data download-meta-model list-submissions get-submission help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and not __fish_seen_subcommand_from challenges challenge training inference meta-model submissions submit auth-check performance score targets run-daily list-training-data get-training-data download-training-data list-inference-data get-inference-data download-inference-data download-meta-model list-submissions get-submission help" -f -a "challenges" -d 'List the active challenges'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and not __fish_seen_subcommand_from challenges challenge training inference meta-model submissions submit auth-check performance score targets run-daily list-training-data get-training-data download-training-data list-inference-data get-inference-data download-inference-data download-meta-model list-submissions get-submission help" -f -a "challenge" -d 'Show one challenge'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and not __fish_seen_subcommand_from challenges challenge training inference meta-model submissions submit auth-check performance score targets run-daily list-training-data get-training-data download-training-data list-inference-data get-inference-data download-inference-data download-meta-model list-submissions get-submission help" -f -a "training" -d 'Training datasets: list, show, download'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and not __fish_seen_subcommand_from challenges challenge training inference meta-model submissions submit auth-check performance score targets run-daily list-training-data get-training-data download-training-data list-inference-data get-inference-data download-inference-data download-meta-model list-submissions get-submission help" -f -a "inference" -d 'Inference periods: list, show, download (optionally waiting for publication)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and not __fish_seen_subcommand_from challenges challenge training inference meta-model submissions submit auth-check performance score targets run-daily list-training-data get-training-data download-training-data list-inference-data get-inference-data download-inference-data download-meta-model list-submissions get-submission help" -f -a "meta-model" -d 'The consolidated meta-model file'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and not __fish_seen_subcommand_from challenges challenge training inference meta-model submissions submit auth-check performance score targets run-daily list-training-data get-training-data download-training-data list-inference-data get-inference-data download-inference-data download-meta-model list-submissions get-submission help" -f -a "submissions" -d 'Your submissions: list and show'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and not __fish_seen_subcommand_from challenges challenge training inference meta-model submissions submit auth-check performance score targets run-daily list-training-data get-training-data download-training-data list-inference-data get-inference-data download-inference-data download-meta-model list-submissions get-submission help" -f -a "submit" -d 'Validate and submit a prediction file'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and not __fish_seen_subcommand_from challenges challenge training inference meta-model submissions submit auth-check performance score targets run-daily list-training-data get-training-data download-training-data list-inference-data get-inference-data download-inference-data download-meta-model list-submissions get-submission help" -f -a "auth-check" -d 'Check that the API key works'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and not __fish_seen_subcommand_from challenges challenge training inference meta-model submissions submit auth-check performance score targets run-daily list-training-data get-training-data download-training-data list-inference-data get-inference-data download-inference-data download-meta-model list-submissions get-submission help" -f -a "performance" -d 'Your scores and percentiles, newest first'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and not __fish_seen_subcommand_from challenges challenge training inference meta-model submissions submit auth-check performance score targets run-daily list-training-data get-training-data download-training-data list-inference-data get-inference-data download-inference-data download-meta-model list-submissions get-submission help" -f -a "score" -d 'Score predictions against targets locally'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and not __fish_seen_subcommand_from challenges challenge training inference meta-model submissions submit auth-check performance score targets run-daily list-training-data get-training-data download-training-data list-inference-data get-inference-data download-inference-data download-meta-model list-submissions get-submission help" -f -a "targets" -d 'Build the challenge\'s ranking targets from a price file'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and not __fish_seen_subcommand_from challenges challenge training inference meta-model submissions submit auth-check performance score targets run-daily list-training-data get-training-data download-training-data list-inference-data get-inference-data download-inference-data download-meta-model list-submissions get-submission help" -f -a "run-daily" -d 'Wait for the inference file, run your model, validate and submit before the deadline'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and not __fish_seen_subcommand_from challenges challenge training inference meta-model submissions submit auth-check performance score targets run-daily list-training-data get-training-data download-training-data list-inference-data get-inference-data download-inference-data download-meta-model list-submissions get-submission help" -f -a "list-training-data" -d 'Official name of `mkt crowdcent training list`'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and not __fish_seen_subcommand_from challenges challenge training inference meta-model submissions submit auth-check performance score targets run-daily list-training-data get-training-data download-training-data list-inference-data get-inference-data download-inference-data download-meta-model list-submissions get-submission help" -f -a "get-training-data" -d 'Official name of `mkt crowdcent training get`'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and not __fish_seen_subcommand_from challenges challenge training inference meta-model submissions submit auth-check performance score targets run-daily list-training-data get-training-data download-training-data list-inference-data get-inference-data download-inference-data download-meta-model list-submissions get-submission help" -f -a "download-training-data" -d 'Official name of `mkt crowdcent training download`'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and not __fish_seen_subcommand_from challenges challenge training inference meta-model submissions submit auth-check performance score targets run-daily list-training-data get-training-data download-training-data list-inference-data get-inference-data download-inference-data download-meta-model list-submissions get-submission help" -f -a "list-inference-data" -d 'Official name of `mkt crowdcent inference list`'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and not __fish_seen_subcommand_from challenges challenge training inference meta-model submissions submit auth-check performance score targets run-daily list-training-data get-training-data download-training-data list-inference-data get-inference-data download-inference-data download-meta-model list-submissions get-submission help" -f -a "get-inference-data" -d 'Official name of `mkt crowdcent inference get`'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and not __fish_seen_subcommand_from challenges challenge training inference meta-model submissions submit auth-check performance score targets run-daily list-training-data get-training-data download-training-data list-inference-data get-inference-data download-inference-data download-meta-model list-submissions get-submission help" -f -a "download-inference-data" -d 'Official name of `mkt crowdcent inference download` (RELEASE_DATE defaults to latest, as there)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and not __fish_seen_subcommand_from challenges challenge training inference meta-model submissions submit auth-check performance score targets run-daily list-training-data get-training-data download-training-data list-inference-data get-inference-data download-inference-data download-meta-model list-submissions get-submission help" -f -a "download-meta-model" -d 'Official name of `mkt crowdcent meta-model download`'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and not __fish_seen_subcommand_from challenges challenge training inference meta-model submissions submit auth-check performance score targets run-daily list-training-data get-training-data download-training-data list-inference-data get-inference-data download-inference-data download-meta-model list-submissions get-submission help" -f -a "list-submissions" -d 'Official name of `mkt crowdcent submissions list`'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and not __fish_seen_subcommand_from challenges challenge training inference meta-model submissions submit auth-check performance score targets run-daily list-training-data get-training-data download-training-data list-inference-data get-inference-data download-inference-data download-meta-model list-submissions get-submission help" -f -a "get-submission" -d 'Official name of `mkt crowdcent submissions get`'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and not __fish_seen_subcommand_from challenges challenge training inference meta-model submissions submit auth-check performance score targets run-daily list-training-data get-training-data download-training-data list-inference-data get-inference-data download-inference-data download-meta-model list-submissions get-submission help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from challenges" -s c -l challenge -d 'Challenge slug (before or after the subcommand)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from challenges" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from challenges" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from challenges" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from challenges" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from challenges" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from challenges" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from challenge" -s c -l challenge -d 'Challenge slug (before or after the subcommand)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from challenge" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from challenge" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from challenge" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from challenge" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from challenge" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from challenge" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from training" -s c -l challenge -d 'Challenge slug (before or after the subcommand)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from training" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from training" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from training" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from training" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from training" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from training" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from training" -f -a "list" -d 'List the training dataset versions'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from training" -f -a "get" -d 'Show one training dataset (default: latest)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from training" -f -a "download" -d 'Download one training dataset (default: latest)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from training" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from inference" -s c -l challenge -d 'Challenge slug (before or after the subcommand)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from inference" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from inference" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from inference" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from inference" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from inference" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from inference" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from inference" -f -a "list" -d 'List the inference periods'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from inference" -f -a "get" -d 'Show one inference period'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from inference" -f -a "download" -d 'Download an inference file (default: the current period\'s, waiting for it)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from inference" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from meta-model" -s c -l challenge -d 'Challenge slug (before or after the subcommand)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from meta-model" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from meta-model" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from meta-model" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from meta-model" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from meta-model" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from meta-model" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from meta-model" -f -a "download" -d 'Download the consolidated meta-model file'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from meta-model" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from submissions" -s c -l challenge -d 'Challenge slug (before or after the subcommand)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from submissions" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from submissions" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from submissions" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from submissions" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from submissions" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from submissions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from submissions" -f -a "list" -d 'List your submissions (all slots, all periods unless --period)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from submissions" -f -a "get" -d 'Show one submission with its scores and percentiles'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from submissions" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from submit" -l slot -d 'Slot to submit to (1-based)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from submit" -l notes -d 'Private notes (at most 2000 characters)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from submit" -s c -l challenge -d 'Challenge slug (before or after the subcommand)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from submit" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from submit" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from submit" -l no-queue-next -d 'Do not also queue a copy for the next period'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from submit" -l queue-next -d 'Also queue a copy for the next period (the default; the official CLI\'s spelling)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from submit" -l experimental -d 'Mark as experimental (scored, but kept off the leaderboard and the meta-model)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from submit" -l no-experimental -d 'Not experimental (the default; the official CLI\'s spelling)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from submit" -l no-validate -d 'Skip local validation and send the file as it is'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from submit" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from submit" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from submit" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from submit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from auth-check" -s c -l challenge -d 'Challenge slug (before or after the subcommand)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from auth-check" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from auth-check" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from auth-check" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from auth-check" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from auth-check" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from auth-check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from performance" -l slot -d 'Only this slot' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from performance" -s c -l challenge -d 'Challenge slug (before or after the subcommand)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from performance" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from performance" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from performance" -l all -d 'Include submissions that have no scores yet'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from performance" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from performance" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from performance" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from performance" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from score" -l predictions -d 'Predictions (CSV or Parquet) with `id`, `pred_10d`, `pred_30d`' -r -F
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from score" -l targets -d 'Targets (CSV or Parquet) with `id` (or `ticker`), `target_10d`, `target_30d`, and optionally `date`' -r -F
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from score" -l meta-model -d 'A meta-model file (`id`, `pred_10d`, `pred_30d`, optionally `release_date`): adds the uniqueness metrics' -r -F
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from score" -l date -d 'The date to score, for files that hold several (`date` or `release_date` column)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from score" -l k -d 'The cut-off of the symmetric NDCG' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from score" -s c -l challenge -d 'Challenge slug (before or after the subcommand)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from score" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from score" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from score" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from score" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from score" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from score" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from targets" -s o -l out -d 'Output file (.csv or .parquet; `-` is standard output, as CSV unless --format says otherwise); replaced atomically' -r -F
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from targets" -l horizons -d 'Forward-return horizons in days (rows of each ticker), comma-separated' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from targets" -l price-col -d 'The price column' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from targets" -l date-col -d 'The date column' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from targets" -l ticker-col -d 'The ticker column' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from targets" -l format -d 'Output format (default: from OUT\'s extension; CSV for `-`)' -r -f -a "csv\t'Comma-separated values with a header line'
parquet\t'Apache Parquet'"
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from targets" -s c -l challenge -d 'Challenge slug (before or after the subcommand)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from targets" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from targets" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from targets" -l keep-incomplete -d 'Keep rows that lack a forward return for some horizon (their targets are empty)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from targets" -l raw-returns -d 'Also write the forward returns (`fwd_return_{h}d`)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from targets" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from targets" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from targets" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from targets" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from run-daily" -l model-cmd -d 'The model command, run with `sh -c`; `{inference}` and `{out}` become the quoted paths (required, also with --print-systemd and --print-cron)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from run-daily" -l slot -d 'Slot to submit to (1-based)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from run-daily" -l deadline-margin -d 'Stop the model this long before the submission deadline (room for validation and upload)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from run-daily" -l timeout -d 'Give up waiting for the inference file after this long (`0` waits forever)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from run-daily" -l interval -d 'Pause between attempts while waiting (jittered by ±10 %)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from run-daily" -l out-dir -d 'Where the inference file and the predictions go' -r -F
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from run-daily" -l notes -d 'Private notes for the submission (at most 2000 characters)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from run-daily" -s c -l challenge -d 'Challenge slug (before or after the subcommand)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from run-daily" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from run-daily" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from run-daily" -l dry-run -d 'Do everything but submit'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from run-daily" -l experimental -d 'Mark the submission as experimental'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from run-daily" -l no-queue-next -d 'Do not also queue a copy for the next period'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from run-daily" -l print-systemd -d 'Print a systemd service + timer for this command and exit (no key, no network)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from run-daily" -l print-cron -d 'Print a crontab line for this command and exit (no key, no network)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from run-daily" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from run-daily" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from run-daily" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from run-daily" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from list-training-data" -s c -l challenge -d 'Challenge slug (before or after the subcommand)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from list-training-data" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from list-training-data" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from list-training-data" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from list-training-data" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from list-training-data" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from list-training-data" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from get-training-data" -s c -l challenge -d 'Challenge slug (before or after the subcommand)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from get-training-data" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from get-training-data" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from get-training-data" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from get-training-data" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from get-training-data" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from get-training-data" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from download-training-data" -s o -l out -d 'Destination file, directory or - for standard output (default: a name carrying the challenge and the version or date; see above). A `.csv` path gets CSV' -r -F
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from download-training-data" -l format -d 'File format (default: csv for a destination ending in .csv, else parquet; - gets parquet)' -r -f -a "parquet\t'Apache Parquet, the stored format'
csv\t'The server\'s CSV copy (`?as=csv`)'"
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from download-training-data" -s c -l challenge -d 'Challenge slug (before or after the subcommand)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from download-training-data" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from download-training-data" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from download-training-data" -l force -d 'Let the default file name replace an existing file'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from download-training-data" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from download-training-data" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from download-training-data" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from download-training-data" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from list-inference-data" -s c -l challenge -d 'Challenge slug (before or after the subcommand)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from list-inference-data" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from list-inference-data" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from list-inference-data" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from list-inference-data" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from list-inference-data" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from list-inference-data" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from get-inference-data" -s c -l challenge -d 'Challenge slug (before or after the subcommand)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from get-inference-data" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from get-inference-data" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from get-inference-data" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from get-inference-data" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from get-inference-data" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from get-inference-data" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from download-inference-data" -s o -l out -d 'Destination file, directory or - for standard output (default: a name carrying the challenge and the version or date; see above). A `.csv` path gets CSV' -r -F
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from download-inference-data" -l format -d 'File format (default: csv for a destination ending in .csv, else parquet; - gets parquet)' -r -f -a "parquet\t'Apache Parquet, the stored format'
csv\t'The server\'s CSV copy (`?as=csv`)'"
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from download-inference-data" -l timeout -d 'Give up waiting after this long (`30`, `30s`, `15m`, `1h`; `0` waits forever)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from download-inference-data" -l interval -d 'Pause between attempts while waiting (jittered by ±10 %)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from download-inference-data" -s c -l challenge -d 'Challenge slug (before or after the subcommand)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from download-inference-data" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from download-inference-data" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from download-inference-data" -l force -d 'Let the default file name replace an existing file'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from download-inference-data" -l no-wait -d 'Fail at once (exit 4) when the current file is not published yet, instead of waiting'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from download-inference-data" -l wait -d 'Wait for the current file (the default; kept for older scripts)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from download-inference-data" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from download-inference-data" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from download-inference-data" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from download-inference-data" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from download-meta-model" -s o -l out -d 'Destination file, directory or - for standard output (default: a name carrying the challenge and the version or date; see above). A `.csv` path gets CSV' -r -F
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from download-meta-model" -l format -d 'File format (default: csv for a destination ending in .csv, else parquet; - gets parquet)' -r -f -a "parquet\t'Apache Parquet, the stored format'
csv\t'The server\'s CSV copy (`?as=csv`)'"
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from download-meta-model" -s c -l challenge -d 'Challenge slug (before or after the subcommand)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from download-meta-model" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from download-meta-model" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from download-meta-model" -l force -d 'Let the default file name replace an existing file'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from download-meta-model" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from download-meta-model" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from download-meta-model" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from download-meta-model" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from list-submissions" -l period -d 'Only this period: `current` or a `YYYY-MM-DD` release date' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from list-submissions" -s c -l challenge -d 'Challenge slug (before or after the subcommand)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from list-submissions" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from list-submissions" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from list-submissions" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from list-submissions" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from list-submissions" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from list-submissions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from get-submission" -s c -l challenge -d 'Challenge slug (before or after the subcommand)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from get-submission" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from get-submission" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from get-submission" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from get-submission" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from get-submission" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from get-submission" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from help" -f -a "challenges" -d 'List the active challenges'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from help" -f -a "challenge" -d 'Show one challenge'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from help" -f -a "training" -d 'Training datasets: list, show, download'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from help" -f -a "inference" -d 'Inference periods: list, show, download (optionally waiting for publication)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from help" -f -a "meta-model" -d 'The consolidated meta-model file'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from help" -f -a "submissions" -d 'Your submissions: list and show'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from help" -f -a "submit" -d 'Validate and submit a prediction file'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from help" -f -a "auth-check" -d 'Check that the API key works'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from help" -f -a "performance" -d 'Your scores and percentiles, newest first'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from help" -f -a "score" -d 'Score predictions against targets locally'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from help" -f -a "targets" -d 'Build the challenge\'s ranking targets from a price file'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from help" -f -a "run-daily" -d 'Wait for the inference file, run your model, validate and submit before the deadline'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from help" -f -a "list-training-data" -d 'Official name of `mkt crowdcent training list`'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from help" -f -a "get-training-data" -d 'Official name of `mkt crowdcent training get`'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from help" -f -a "download-training-data" -d 'Official name of `mkt crowdcent training download`'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from help" -f -a "list-inference-data" -d 'Official name of `mkt crowdcent inference list`'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from help" -f -a "get-inference-data" -d 'Official name of `mkt crowdcent inference get`'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from help" -f -a "download-inference-data" -d 'Official name of `mkt crowdcent inference download` (RELEASE_DATE defaults to latest, as there)'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from help" -f -a "download-meta-model" -d 'Official name of `mkt crowdcent meta-model download`'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from help" -f -a "list-submissions" -d 'Official name of `mkt crowdcent submissions list`'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from help" -f -a "get-submission" -d 'Official name of `mkt crowdcent submissions get`'
complete -c mkt -n "__fish_mkt_using_subcommand crowdcent; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mkt -n "__fish_mkt_using_subcommand frame; and not __fish_seen_subcommand_from convert validate inspect help" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand frame; and not __fish_seen_subcommand_from convert validate inspect help" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand frame; and not __fish_seen_subcommand_from convert validate inspect help" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand frame; and not __fish_seen_subcommand_from convert validate inspect help" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand frame; and not __fish_seen_subcommand_from convert validate inspect help" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand frame; and not __fish_seen_subcommand_from convert validate inspect help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand frame; and not __fish_seen_subcommand_from convert validate inspect help" -f -a "convert" -d 'Convert CSV ↔ Parquet, streaming, in bounded memory'
complete -c mkt -n "__fish_mkt_using_subcommand frame; and not __fish_seen_subcommand_from convert validate inspect help" -f -a "validate" -d 'Check a prediction file against a tournament\'s submission rules'
complete -c mkt -n "__fish_mkt_using_subcommand frame; and not __fish_seen_subcommand_from convert validate inspect help" -f -a "inspect" -d 'Show a frame\'s schema, row count, nulls, numeric ranges and first rows'
complete -c mkt -n "__fish_mkt_using_subcommand frame; and not __fish_seen_subcommand_from convert validate inspect help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mkt -n "__fish_mkt_using_subcommand frame; and __fish_seen_subcommand_from convert" -l format -d 'Output format (default: from OUT\'s extension)' -r -f -a "csv\t'Comma-separated values with a header line'
parquet\t'Apache Parquet'"
complete -c mkt -n "__fish_mkt_using_subcommand frame; and __fish_seen_subcommand_from convert" -l compression -d 'Parquet compression codec' -r -f -a "zstd\t'Zstandard level 1: about a third smaller files, a little slower'
snappy\t'Snappy (the default, like pandas and pyarrow): fastest'
none\t'Uncompressed'"
complete -c mkt -n "__fish_mkt_using_subcommand frame; and __fish_seen_subcommand_from convert" -l input-format -d 'Read the input as this format instead of going by its extension' -r -f -a "csv\t'Comma-separated values with a header line'
parquet\t'Apache Parquet'"
complete -c mkt -n "__fish_mkt_using_subcommand frame; and __fish_seen_subcommand_from convert" -l schema -d 'Force a CSV column\'s type, e.g. `id:string` or `prediction:float64` (repeatable). Types: string, float64, float32, int64, bool, date' -r
complete -c mkt -n "__fish_mkt_using_subcommand frame; and __fish_seen_subcommand_from convert" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand frame; and __fish_seen_subcommand_from convert" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand frame; and __fish_seen_subcommand_from convert" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand frame; and __fish_seen_subcommand_from convert" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand frame; and __fish_seen_subcommand_from convert" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand frame; and __fish_seen_subcommand_from convert" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand frame; and __fish_seen_subcommand_from validate" -l rules -d 'The rule set: numerai-classic, numerai-signals or crowdcent-hyperliquid' -r -f -a "numerai-classic\t''
numerai-signals\t''
crowdcent-hyperliquid\t''"
complete -c mkt -n "__fish_mkt_using_subcommand frame; and __fish_seen_subcommand_from validate" -l inference -d 'An inference file whose ids the submission is matched against' -r -F
complete -c mkt -n "__fish_mkt_using_subcommand frame; and __fish_seen_subcommand_from validate" -l input-format -d 'Read the input as this format instead of going by its extension' -r -f -a "csv\t'Comma-separated values with a header line'
parquet\t'Apache Parquet'"
complete -c mkt -n "__fish_mkt_using_subcommand frame; and __fish_seen_subcommand_from validate" -l schema -d 'Force a CSV column\'s type, e.g. `id:string` or `prediction:float64` (repeatable). Types: string, float64, float32, int64, bool, date' -r
complete -c mkt -n "__fish_mkt_using_subcommand frame; and __fish_seen_subcommand_from validate" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand frame; and __fish_seen_subcommand_from validate" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand frame; and __fish_seen_subcommand_from validate" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand frame; and __fish_seen_subcommand_from validate" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand frame; and __fish_seen_subcommand_from validate" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand frame; and __fish_seen_subcommand_from validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand frame; and __fish_seen_subcommand_from inspect" -l head -d 'How many first rows to show' -r
complete -c mkt -n "__fish_mkt_using_subcommand frame; and __fish_seen_subcommand_from inspect" -l input-format -d 'Read the input as this format instead of going by its extension' -r -f -a "csv\t'Comma-separated values with a header line'
parquet\t'Apache Parquet'"
complete -c mkt -n "__fish_mkt_using_subcommand frame; and __fish_seen_subcommand_from inspect" -l schema -d 'Force a CSV column\'s type, e.g. `id:string` or `prediction:float64` (repeatable). Types: string, float64, float32, int64, bool, date' -r
complete -c mkt -n "__fish_mkt_using_subcommand frame; and __fish_seen_subcommand_from inspect" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand frame; and __fish_seen_subcommand_from inspect" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand frame; and __fish_seen_subcommand_from inspect" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand frame; and __fish_seen_subcommand_from inspect" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand frame; and __fish_seen_subcommand_from inspect" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand frame; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand frame; and __fish_seen_subcommand_from help" -f -a "convert" -d 'Convert CSV ↔ Parquet, streaming, in bounded memory'
complete -c mkt -n "__fish_mkt_using_subcommand frame; and __fish_seen_subcommand_from help" -f -a "validate" -d 'Check a prediction file against a tournament\'s submission rules'
complete -c mkt -n "__fish_mkt_using_subcommand frame; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'Show a frame\'s schema, row count, nulls, numeric ranges and first rows'
complete -c mkt -n "__fish_mkt_using_subcommand frame; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mkt -n "__fish_mkt_using_subcommand keys; and not __fish_seen_subcommand_from generate show help" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand keys; and not __fish_seen_subcommand_from generate show help" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand keys; and not __fish_seen_subcommand_from generate show help" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand keys; and not __fish_seen_subcommand_from generate show help" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand keys; and not __fish_seen_subcommand_from generate show help" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand keys; and not __fish_seen_subcommand_from generate show help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand keys; and not __fish_seen_subcommand_from generate show help" -f -a "generate" -d 'Generate a new key pair and write it to a key file (mode 0600)'
complete -c mkt -n "__fish_mkt_using_subcommand keys; and not __fish_seen_subcommand_from generate show help" -f -a "show" -d 'Print the public key of a key file'
complete -c mkt -n "__fish_mkt_using_subcommand keys; and not __fish_seen_subcommand_from generate show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mkt -n "__fish_mkt_using_subcommand keys; and __fish_seen_subcommand_from generate" -s o -l out -d 'Where to write the key file' -r -F
complete -c mkt -n "__fish_mkt_using_subcommand keys; and __fish_seen_subcommand_from generate" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand keys; and __fish_seen_subcommand_from generate" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand keys; and __fish_seen_subcommand_from generate" -l force -d 'Replace an existing key file (the old private key is lost)'
complete -c mkt -n "__fish_mkt_using_subcommand keys; and __fish_seen_subcommand_from generate" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand keys; and __fish_seen_subcommand_from generate" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand keys; and __fish_seen_subcommand_from generate" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand keys; and __fish_seen_subcommand_from generate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand keys; and __fish_seen_subcommand_from show" -l key-file -d 'The key file (default: NUMERBAY_KEY_PATH, NUMERBAY_KEY_BASE64, the config\'s numerbay.key_file, ./numerbay.json)' -r -F
complete -c mkt -n "__fish_mkt_using_subcommand keys; and __fish_seen_subcommand_from show" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand keys; and __fish_seen_subcommand_from show" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand keys; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand keys; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand keys; and __fish_seen_subcommand_from show" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand keys; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "generate" -d 'Generate a new key pair and write it to a key file (mode 0600)'
complete -c mkt -n "__fish_mkt_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print the public key of a key file'
complete -c mkt -n "__fish_mkt_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mkt -n "__fish_mkt_using_subcommand crypto; and not __fish_seen_subcommand_from seal open help" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand crypto; and not __fish_seen_subcommand_from seal open help" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crypto; and not __fish_seen_subcommand_from seal open help" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand crypto; and not __fish_seen_subcommand_from seal open help" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand crypto; and not __fish_seen_subcommand_from seal open help" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand crypto; and not __fish_seen_subcommand_from seal open help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand crypto; and not __fish_seen_subcommand_from seal open help" -f -a "seal" -d 'Seal IN for a public key into OUT'
complete -c mkt -n "__fish_mkt_using_subcommand crypto; and not __fish_seen_subcommand_from seal open help" -f -a "open" -d 'Open the sealed file IN with a key file into OUT'
complete -c mkt -n "__fish_mkt_using_subcommand crypto; and not __fish_seen_subcommand_from seal open help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mkt -n "__fish_mkt_using_subcommand crypto; and __fish_seen_subcommand_from seal" -l public-key -d 'The recipient\'s public key (standard base64; unpadded and URL-safe are accepted)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crypto; and __fish_seen_subcommand_from seal" -l key-file -d 'Seal for the public key of this key file' -r -F
complete -c mkt -n "__fish_mkt_using_subcommand crypto; and __fish_seen_subcommand_from seal" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand crypto; and __fish_seen_subcommand_from seal" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crypto; and __fish_seen_subcommand_from seal" -l force -d 'Accepted for compatibility: OUT, a path you typed, is always replaced atomically'
complete -c mkt -n "__fish_mkt_using_subcommand crypto; and __fish_seen_subcommand_from seal" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand crypto; and __fish_seen_subcommand_from seal" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand crypto; and __fish_seen_subcommand_from seal" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand crypto; and __fish_seen_subcommand_from seal" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand crypto; and __fish_seen_subcommand_from open" -l key-file -d 'The key file (default: NUMERBAY_KEY_PATH, NUMERBAY_KEY_BASE64, the config\'s numerbay.key_file, ./numerbay.json)' -r -F
complete -c mkt -n "__fish_mkt_using_subcommand crypto; and __fish_seen_subcommand_from open" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand crypto; and __fish_seen_subcommand_from open" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand crypto; and __fish_seen_subcommand_from open" -l force -d 'Accepted for compatibility: OUT, a path you typed, is always replaced atomically'
complete -c mkt -n "__fish_mkt_using_subcommand crypto; and __fish_seen_subcommand_from open" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand crypto; and __fish_seen_subcommand_from open" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand crypto; and __fish_seen_subcommand_from open" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand crypto; and __fish_seen_subcommand_from open" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand crypto; and __fish_seen_subcommand_from help" -f -a "seal" -d 'Seal IN for a public key into OUT'
complete -c mkt -n "__fish_mkt_using_subcommand crypto; and __fish_seen_subcommand_from help" -f -a "open" -d 'Open the sealed file IN with a key file into OUT'
complete -c mkt -n "__fish_mkt_using_subcommand crypto; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mkt -n "__fish_mkt_using_subcommand sandbox; and not __fish_seen_subcommand_from serve demo help" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand sandbox; and not __fish_seen_subcommand_from serve demo help" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand sandbox; and not __fish_seen_subcommand_from serve demo help" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand sandbox; and not __fish_seen_subcommand_from serve demo help" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand sandbox; and not __fish_seen_subcommand_from serve demo help" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand sandbox; and not __fish_seen_subcommand_from serve demo help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand sandbox; and not __fish_seen_subcommand_from serve demo help" -f -a "serve" -d 'Start a sandbox and serve until Ctrl-C'
complete -c mkt -n "__fish_mkt_using_subcommand sandbox; and not __fish_seen_subcommand_from serve demo help" -f -a "demo" -d 'Run the whole seller, buyer and CrowdCent story against an in-process sandbox'
complete -c mkt -n "__fish_mkt_using_subcommand sandbox; and not __fish_seen_subcommand_from serve demo help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mkt -n "__fish_mkt_using_subcommand sandbox; and __fish_seen_subcommand_from serve" -l port -d 'Port on 127.0.0.1 (an ephemeral one when omitted)' -r
complete -c mkt -n "__fish_mkt_using_subcommand sandbox; and __fish_seen_subcommand_from serve" -l data-dir -d 'Directory for objects and key files (kept after exit)' -r -F
complete -c mkt -n "__fish_mkt_using_subcommand sandbox; and __fish_seen_subcommand_from serve" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand sandbox; and __fish_seen_subcommand_from serve" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand sandbox; and __fish_seen_subcommand_from serve" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand sandbox; and __fish_seen_subcommand_from serve" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand sandbox; and __fish_seen_subcommand_from serve" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand sandbox; and __fish_seen_subcommand_from serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand sandbox; and __fish_seen_subcommand_from demo" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand sandbox; and __fish_seen_subcommand_from demo" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand sandbox; and __fish_seen_subcommand_from demo" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand sandbox; and __fish_seen_subcommand_from demo" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand sandbox; and __fish_seen_subcommand_from demo" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand sandbox; and __fish_seen_subcommand_from demo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand sandbox; and __fish_seen_subcommand_from help" -f -a "serve" -d 'Start a sandbox and serve until Ctrl-C'
complete -c mkt -n "__fish_mkt_using_subcommand sandbox; and __fish_seen_subcommand_from help" -f -a "demo" -d 'Run the whole seller, buyer and CrowdCent story against an in-process sandbox'
complete -c mkt -n "__fish_mkt_using_subcommand sandbox; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mkt -n "__fish_mkt_using_subcommand config; and not __fish_seen_subcommand_from path get set unset help" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand config; and not __fish_seen_subcommand_from path get set unset help" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand config; and not __fish_seen_subcommand_from path get set unset help" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand config; and not __fish_seen_subcommand_from path get set unset help" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand config; and not __fish_seen_subcommand_from path get set unset help" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand config; and not __fish_seen_subcommand_from path get set unset help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand config; and not __fish_seen_subcommand_from path get set unset help" -f -a "path" -d 'Print the config file path'
complete -c mkt -n "__fish_mkt_using_subcommand config; and not __fish_seen_subcommand_from path get set unset help" -f -a "get" -d 'Print one value, or every set value when no key is given'
complete -c mkt -n "__fish_mkt_using_subcommand config; and not __fish_seen_subcommand_from path get set unset help" -f -a "set" -d 'Set a value (the file is created with its directory when missing)'
complete -c mkt -n "__fish_mkt_using_subcommand config; and not __fish_seen_subcommand_from path get set unset help" -f -a "unset" -d 'Remove a value'
complete -c mkt -n "__fish_mkt_using_subcommand config; and not __fish_seen_subcommand_from path get set unset help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mkt -n "__fish_mkt_using_subcommand config; and __fish_seen_subcommand_from path" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand config; and __fish_seen_subcommand_from path" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand config; and __fish_seen_subcommand_from path" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand config; and __fish_seen_subcommand_from path" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand config; and __fish_seen_subcommand_from path" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand config; and __fish_seen_subcommand_from path" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand config; and __fish_seen_subcommand_from get" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand config; and __fish_seen_subcommand_from get" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand config; and __fish_seen_subcommand_from get" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand config; and __fish_seen_subcommand_from get" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand config; and __fish_seen_subcommand_from get" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand config; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand config; and __fish_seen_subcommand_from set" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand config; and __fish_seen_subcommand_from set" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand config; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand config; and __fish_seen_subcommand_from set" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand config; and __fish_seen_subcommand_from set" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand config; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand config; and __fish_seen_subcommand_from unset" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand config; and __fish_seen_subcommand_from unset" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand config; and __fish_seen_subcommand_from unset" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand config; and __fish_seen_subcommand_from unset" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand config; and __fish_seen_subcommand_from unset" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand config; and __fish_seen_subcommand_from unset" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "path" -d 'Print the config file path'
complete -c mkt -n "__fish_mkt_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "get" -d 'Print one value, or every set value when no key is given'
complete -c mkt -n "__fish_mkt_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "set" -d 'Set a value (the file is created with its directory when missing)'
complete -c mkt -n "__fish_mkt_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "unset" -d 'Remove a value'
complete -c mkt -n "__fish_mkt_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mkt -n "__fish_mkt_using_subcommand completions" -l output -d 'Output format on stdout' -r -f -a "table\t'Aligned human-readable columns'
json\t'Stable machine-readable JSON (lists are JSON arrays of items)'"
complete -c mkt -n "__fish_mkt_using_subcommand completions" -l base-url -d 'Override the platform API base URL (e.g. a sandbox URL)' -r
complete -c mkt -n "__fish_mkt_using_subcommand completions" -s q -l quiet -d 'Print only results and errors'
complete -c mkt -n "__fish_mkt_using_subcommand completions" -s v -l verbose -d 'Log to stderr: -v each request (method, path, status, time), -vv mkt\'s debug detail, -vvv also dependency internals (hyper, reqwest)'
complete -c mkt -n "__fish_mkt_using_subcommand completions" -l no-progress -d 'Never draw progress bars'
complete -c mkt -n "__fish_mkt_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mkt -n "__fish_mkt_using_subcommand help; and not __fish_seen_subcommand_from numerbay crowdcent frame keys crypto sandbox config completions help" -f -a "numerbay" -d 'NumerBay: account, listings, orders, seller uploads and buyer downloads'
complete -c mkt -n "__fish_mkt_using_subcommand help; and not __fish_seen_subcommand_from numerbay crowdcent frame keys crypto sandbox config completions help" -f -a "crowdcent" -d 'CrowdCent Challenge: data downloads, submissions and local scoring'
complete -c mkt -n "__fish_mkt_using_subcommand help; and not __fish_seen_subcommand_from numerbay crowdcent frame keys crypto sandbox config completions help" -f -a "frame" -d 'CSV and Parquet frames: convert, validate predictions, inspect'
complete -c mkt -n "__fish_mkt_using_subcommand help; and not __fish_seen_subcommand_from numerbay crowdcent frame keys crypto sandbox config completions help" -f -a "keys" -d 'NumerBay key pairs: generate and show key files'
complete -c mkt -n "__fish_mkt_using_subcommand help; and not __fish_seen_subcommand_from numerbay crowdcent frame keys crypto sandbox config completions help" -f -a "crypto" -d 'Seal and open files with libsodium-compatible sealed boxes'
complete -c mkt -n "__fish_mkt_using_subcommand help; and not __fish_seen_subcommand_from numerbay crowdcent frame keys crypto sandbox config completions help" -f -a "sandbox" -d 'A local NumerBay + CrowdCent server for offline rehearsals'
complete -c mkt -n "__fish_mkt_using_subcommand help; and not __fish_seen_subcommand_from numerbay crowdcent frame keys crypto sandbox config completions help" -f -a "config" -d 'Read and write defaults in the mkt config file'
complete -c mkt -n "__fish_mkt_using_subcommand help; and not __fish_seen_subcommand_from numerbay crowdcent frame keys crypto sandbox config completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c mkt -n "__fish_mkt_using_subcommand help; and not __fish_seen_subcommand_from numerbay crowdcent frame keys crypto sandbox config completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from numerbay" -f -a "account" -d 'Show the logged-in account'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from numerbay" -f -a "orders" -d 'List the orders you bought'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from numerbay" -f -a "sales" -d 'List the orders of your products'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from numerbay" -f -a "listings" -d 'List your own products'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from numerbay" -f -a "search" -d 'Search products'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from numerbay" -f -a "globals" -d 'Show the site globals (selling round, totals)'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from numerbay" -f -a "artifacts" -d 'List a product\'s or an order\'s artifacts'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from numerbay" -f -a "submit" -d 'Upload a file to a product (seller)'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from numerbay" -f -a "download" -d 'Download a purchased file (buyer)'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from numerbay" -f -a "autopilot" -d 'Upload for every new sale of a product, all round, unattended (seller)'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from numerbay" -f -a "lock" -d 'Lock a product for a round so it can no longer be bought'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from crowdcent" -f -a "challenges" -d 'List the active challenges'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from crowdcent" -f -a "challenge" -d 'Show one challenge'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from crowdcent" -f -a "training" -d 'Training datasets: list, show, download'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from crowdcent" -f -a "inference" -d 'Inference periods: list, show, download (optionally waiting for publication)'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from crowdcent" -f -a "meta-model" -d 'The consolidated meta-model file'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from crowdcent" -f -a "submissions" -d 'Your submissions: list and show'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from crowdcent" -f -a "submit" -d 'Validate and submit a prediction file'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from crowdcent" -f -a "auth-check" -d 'Check that the API key works'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from crowdcent" -f -a "performance" -d 'Your scores and percentiles, newest first'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from crowdcent" -f -a "score" -d 'Score predictions against targets locally'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from crowdcent" -f -a "targets" -d 'Build the challenge\'s ranking targets from a price file'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from crowdcent" -f -a "run-daily" -d 'Wait for the inference file, run your model, validate and submit before the deadline'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from crowdcent" -f -a "list-training-data" -d 'Official name of `mkt crowdcent training list`'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from crowdcent" -f -a "get-training-data" -d 'Official name of `mkt crowdcent training get`'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from crowdcent" -f -a "download-training-data" -d 'Official name of `mkt crowdcent training download`'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from crowdcent" -f -a "list-inference-data" -d 'Official name of `mkt crowdcent inference list`'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from crowdcent" -f -a "get-inference-data" -d 'Official name of `mkt crowdcent inference get`'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from crowdcent" -f -a "download-inference-data" -d 'Official name of `mkt crowdcent inference download` (RELEASE_DATE defaults to latest, as there)'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from crowdcent" -f -a "download-meta-model" -d 'Official name of `mkt crowdcent meta-model download`'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from crowdcent" -f -a "list-submissions" -d 'Official name of `mkt crowdcent submissions list`'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from crowdcent" -f -a "get-submission" -d 'Official name of `mkt crowdcent submissions get`'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from frame" -f -a "convert" -d 'Convert CSV ↔ Parquet, streaming, in bounded memory'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from frame" -f -a "validate" -d 'Check a prediction file against a tournament\'s submission rules'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from frame" -f -a "inspect" -d 'Show a frame\'s schema, row count, nulls, numeric ranges and first rows'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "generate" -d 'Generate a new key pair and write it to a key file (mode 0600)'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "show" -d 'Print the public key of a key file'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from crypto" -f -a "seal" -d 'Seal IN for a public key into OUT'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from crypto" -f -a "open" -d 'Open the sealed file IN with a key file into OUT'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from sandbox" -f -a "serve" -d 'Start a sandbox and serve until Ctrl-C'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from sandbox" -f -a "demo" -d 'Run the whole seller, buyer and CrowdCent story against an in-process sandbox'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "path" -d 'Print the config file path'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "get" -d 'Print one value, or every set value when no key is given'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "set" -d 'Set a value (the file is created with its directory when missing)'
complete -c mkt -n "__fish_mkt_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "unset" -d 'Remove a value'
