/**
 * Our bootstrap for `python3.x` functions: a small Runtime API client, run as `python3 -c <this>` with the code
 * directory as its working directory. It loads `module.function` from the handler string (the original
 * `main.lambda_handler(event, context)` runs as written), then loops on `next` → handler → `response` / `error`.
 *
 * - The context carries what Lambda's Python context carries: function_name, function_version,
 *   invoked_function_arn, memory_limit_in_mb, aws_request_id, log_group_name, log_stream_name, identity,
 *   client_context and get_remaining_time_in_millis().
 * - The root logger gets Lambda's handler and format (`[LEVEL]\t<time>Z\t<request id>\t<message>`, `\n` → `\r`);
 *   print() goes to stdout as is. stderr is joined to stdout, so the host reads one ordered stream.
 * - Before answering an invocation it writes a sync line (`\x1egatehouse-sync <id>`) the host waits for, so an
 *   invocation's output is logged before its END line, as in CloudWatch.
 * - Init failures are reported with the Python runtime's types: Runtime.ImportModuleError, Runtime.UserCodeSyntaxError,
 *   Runtime.HandlerNotFound, Runtime.MalformedHandlerName.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/python-handler.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/python-context.html
 * @see https://github.com/aws/aws-lambda-python-runtime-interface-client
 */
export const PYTHON_BOOTSTRAP = String.raw`
import decimal, http.client, importlib, json, logging, os, sys, time, traceback

os.dup2(1, 2)
sys.stderr = sys.stdout = open(1, 'w', buffering=1, encoding='utf-8', closefd=False)
sys.path.insert(0, os.environ['LAMBDA_TASK_ROOT'])
API = os.environ['AWS_LAMBDA_RUNTIME_API']
BASE = '/2018-06-01/runtime'
conn = http.client.HTTPConnection(API)
current = {'id': None}

def call(method, path, body=None, headers=None):
    global conn
    for attempt in (0, 1):
        try:
            conn.request(method, BASE + path, body=body, headers=headers or {})
            r = conn.getresponse()
            return r, r.read()
        except (http.client.HTTPException, ConnectionError):
            conn.close()
            conn = http.client.HTTPConnection(API)
            if attempt:
                raise

class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = current['id'] or ''
        return True

class LambdaHandler(logging.StreamHandler):
    def format(self, record):
        return super().format(record).replace('\n', '\r')

handler_ = LambdaHandler(sys.stdout)
formatter = logging.Formatter('[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s', '%Y-%m-%dT%H:%M:%S')
formatter.converter = time.gmtime
handler_.setFormatter(formatter)
handler_.addFilter(RequestIdFilter())
logging.getLogger().addHandler(handler_)

def error_doc(e, request_id=None):
    doc = {'errorMessage': str(e), 'errorType': type(e).__name__,
           'stackTrace': traceback.format_list(traceback.extract_tb(e.__traceback__))}
    if request_id:
        doc['requestId'] = request_id
    return doc

def log_error(doc):
    text = '[ERROR] ' + doc['errorType'] + ': ' + doc['errorMessage']
    trace = doc.get('stackTrace') or []
    if trace:
        text += '\nTraceback (most recent call last):\n' + ''.join(trace)
    print(text.rstrip('\n').replace('\n', '\r'), flush=True)

def sync(request_id):
    sys.stdout.flush()
    os.write(1, ('\x1egatehouse-sync ' + request_id + '\n').encode())

def post_error(path, doc):
    body = json.dumps(doc).encode()
    call('POST', path, body, {'Lambda-Runtime-Function-Error-Type': doc['errorType'], 'Content-Type': 'application/json'})

class InitError(Exception):
    def __init__(self, error_type, message):
        super().__init__(message)
        self.error_type = error_type

def load(spec):
    try:
        modname, fname = spec.rsplit('.', 1)
    except ValueError as e:
        raise InitError('Runtime.MalformedHandlerName', "Bad handler '" + spec + "': " + str(e))
    modname = modname.replace('/', '.')
    try:
        module = importlib.import_module(modname)
    except SyntaxError as e:
        raise InitError('Runtime.UserCodeSyntaxError', 'Syntax error in module ' + repr(modname) + ': ' + str(e))
    except ImportError as e:
        raise InitError('Runtime.ImportModuleError', 'Unable to import module ' + repr(modname) + ': ' + str(e))
    fn = getattr(module, fname, None)
    if not callable(fn):
        raise InitError('Runtime.HandlerNotFound', 'Handler ' + repr(fname) + ' missing on module ' + repr(modname))
    return fn

class Context:
    def __init__(self, request_id, deadline_ms, arn):
        self.function_name = os.environ['AWS_LAMBDA_FUNCTION_NAME']
        self.function_version = os.environ['AWS_LAMBDA_FUNCTION_VERSION']
        self.invoked_function_arn = arn
        self.memory_limit_in_mb = os.environ['AWS_LAMBDA_FUNCTION_MEMORY_SIZE']
        self.aws_request_id = request_id
        self.log_group_name = os.environ['AWS_LAMBDA_LOG_GROUP_NAME']
        self.log_stream_name = os.environ['AWS_LAMBDA_LOG_STREAM_NAME']
        self.identity = None
        self.client_context = None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))

def to_json(value):
    def default(o):
        if isinstance(o, decimal.Decimal):
            return int(o) if o == o.to_integral_value() else float(o)
        raise TypeError('Object of type ' + type(o).__name__ + ' is not JSON serializable')
    return json.dumps(value, default=default)

try:
    handler = load(os.environ['_HANDLER'])
except Exception as e:
    error_type = e.error_type if isinstance(e, InitError) else type(e).__name__
    doc = error_doc(e)
    doc['errorType'] = error_type
    if isinstance(e, InitError):
        doc['stackTrace'] = []
    log_error(doc)
    sync('init')
    post_error('/init/error', doc)
    sys.exit(1)

while True:
    r, body = call('GET', '/invocation/next')
    request_id = r.getheader('Lambda-Runtime-Aws-Request-Id')
    current['id'] = request_id
    context = Context(request_id, int(r.getheader('Lambda-Runtime-Deadline-Ms')), r.getheader('Lambda-Runtime-Invoked-Function-Arn'))
    try:
        result = handler(json.loads(body), context)
        try:
            out = to_json(result).encode()
        except Exception as e:
            raise InitError('Runtime.MarshalError', 'Unable to marshal response: ' + str(e))
        sync(request_id)
        call('POST', '/invocation/' + request_id + '/response', out, {'Content-Type': 'application/json'})
    except Exception as e:
        doc = error_doc(e, request_id)
        if isinstance(e, InitError):
            doc['errorType'] = e.error_type
            doc['stackTrace'] = []
        log_error(doc)
        sync(request_id)
        post_error('/invocation/' + request_id + '/error', doc)
    current['id'] = None
`;
