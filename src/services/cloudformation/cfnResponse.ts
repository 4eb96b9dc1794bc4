/**
 * The response modules CloudFormation puts beside a function's inline (`Code.ZipFile`) code: `cfn-response` for
 * Node.js (`require('cfn-response')`) and `cfnresponse` for Python (`import cfnresponse`). Their `send` PUTs the
 * custom resource response object to the request's ResponseURL; written here from the documented behaviour. The
 * local cloud's runtimes carry that HTTPS PUT to the local CloudFormation (lambda/runtime-api/local-cloud.ts).
 *
 * As in AWS, the module is only there for code that loads it: for Python, the docs say only the exact statement
 * `import cfnresponse` makes CloudFormation include it.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-lambda-function-code-cfnresponsemodule.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html
 */
/** Node.js `cfn-response`: `send(event, context, status, data, physicalResourceId?, noEcho?)`, then `context.done()`. */
const NODE_MODULE = `'use strict';
// CloudFormation's cfn-response module, as the local cloud provides it beside inline (ZipFile) code.
var https = require('https');

exports.SUCCESS = 'SUCCESS';
exports.FAILED = 'FAILED';

exports.send = function send(event, context, responseStatus, responseData, physicalResourceId, noEcho) {
  var body = JSON.stringify({
    Status: responseStatus,
    Reason: 'See the details in CloudWatch Log Stream: ' + context.logStreamName,
    PhysicalResourceId: physicalResourceId || context.logStreamName,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    NoEcho: noEcho || false,
    Data: responseData,
  });
  console.log('Response body:\\n', body);
  var url = new URL(event.ResponseURL);
  var request = https.request(
    {
      hostname: url.hostname,
      port: 443,
      path: url.pathname + url.search,
      method: 'PUT',
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
    },
    function (response) {
      console.log('Status code: ' + response.statusCode);
      response.resume();
      context.done();
    },
  );
  request.on('error', function (error) {
    console.log('send(..) failed executing https.request(..): ' + error);
    context.done();
  });
  request.end(body);
};
`;

/**
 * Python `cfnresponse`: `send(event, context, responseStatus, responseData, physicalResourceId=None, noEcho=False,
 * reason=None)` with urllib3, as Lambda's Python runtimes ship it; urllib.request where urllib3 is not installed
 * (a local python3 may lack it).
 */
const PYTHON_MODULE = `# CloudFormation's cfnresponse module, as the local cloud provides it beside inline (ZipFile) code.
import json

try:
    import urllib3
except ImportError:
    urllib3 = None

SUCCESS = 'SUCCESS'
FAILED = 'FAILED'

http = urllib3.PoolManager() if urllib3 is not None else None


def _put(url, body, headers):
    if http is not None:
        return http.request('PUT', url, headers=headers, body=body).status
    import urllib.error
    import urllib.request
    request = urllib.request.Request(url, data=body, headers=headers, method='PUT')
    try:
        with urllib.request.urlopen(request) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def send(event, context, responseStatus, responseData, physicalResourceId=None, noEcho=False, reason=None):
    responseUrl = event['ResponseURL']
    print(responseUrl)
    responseBody = json.dumps({
        'Status': responseStatus,
        'Reason': reason or 'See the details in CloudWatch Log Stream: ' + context.log_stream_name,
        'PhysicalResourceId': physicalResourceId or context.log_stream_name,
        'StackId': event['StackId'],
        'RequestId': event['RequestId'],
        'LogicalResourceId': event['LogicalResourceId'],
        'NoEcho': noEcho,
        'Data': responseData,
    })
    print('Response body:')
    print(responseBody)
    body = responseBody.encode('utf-8')
    headers = {'content-type': '', 'content-length': str(len(body))}
    try:
        print('Status code:', _put(responseUrl, body, headers))
    except Exception as e:
        print('send(..) failed executing http.request(..):', e)
`;

/** A module file to write beside inline code: `path` is relative to the code's directory, with `/` separators. */
export interface ResponseModuleFile {
  path: string;
  source: string;
}

/**
 * The response module that goes beside inline code `file` (`index.js` or `index.py`) holding `source`, or undefined
 * when that code does not load it.
 */
export function responseModuleFor(file: string, source: string): ResponseModuleFile | undefined {
  if (file.endsWith('.js') && /require\(\s*(['"])cfn-response\1\s*\)/.test(source)) {
    return { path: 'node_modules/cfn-response/index.js', source: NODE_MODULE };
  }
  if (file.endsWith('.py') && /^[ \t]*import cfnresponse[ \t]*(#.*)?\r?$/m.test(source)) {
    return { path: 'cfnresponse.py', source: PYTHON_MODULE };
  }
  return undefined;
}

/**
 * The files of inline code's package, by path: the code as `file`, and the response module when the code loads it
 * (as CloudFormation packages ZipFile code for Lambda).
 */
export function inlinePackageFiles(file: string, source: string): Record<string, string> {
  const module = responseModuleFor(file, source);
  return { [file]: source, ...(module ? { [module.path]: module.source } : {}) };
}
