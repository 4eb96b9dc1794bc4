import { AwsError } from '../../protocols/errors.js';

/**
 * Typed Cognito protocol errors. Each carries its wire code (`__type`); the JSON server turns any CognitoError
 * into `400 {"__type","message"}` in one place. Messages never contain tokens, passwords or secrets.
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/CommonErrors.html
 */
export class CognitoError extends AwsError {}

const make = (code: string) =>
  class extends CognitoError {
    constructor(message: string) {
      super(code, message);
    }
  };

export const InvalidParameterException = make('InvalidParameterException');
export const ResourceNotFoundException = make('ResourceNotFoundException');
export const NotAuthorizedException = make('NotAuthorizedException');
export const UserNotFoundException = make('UserNotFoundException');
export const UsernameExistsException = make('UsernameExistsException');
export const UserNotConfirmedException = make('UserNotConfirmedException');
export const InvalidPasswordException = make('InvalidPasswordException');
export const CodeMismatchException = make('CodeMismatchException');
export const ExpiredCodeException = make('ExpiredCodeException');
export const TooManyFailedAttemptsException = make('TooManyFailedAttemptsException');
export const TooManyRequestsException = make('TooManyRequestsException');
export const LimitExceededException = make('LimitExceededException');
export const PasswordResetRequiredException = make('PasswordResetRequiredException');
export const AliasExistsException = make('AliasExistsException');
export const GroupExistsException = make('GroupExistsException');
export const UnsupportedOperationException = make('UnsupportedOperationException');
export const InvalidUserPoolConfigurationException = make('InvalidUserPoolConfigurationException');
export const UserLambdaValidationException = make('UserLambdaValidationException');
export const UnexpectedLambdaException = make('UnexpectedLambdaException');
export const InvalidLambdaResponseException = make('InvalidLambdaResponseException');
export const CodeDeliveryFailureException = make('CodeDeliveryFailureException');
export const SoftwareTokenMFANotFoundException = make('SoftwareTokenMFANotFoundException');
export const EnableSoftwareTokenMFAException = make('EnableSoftwareTokenMFAException');
export const FeatureUnavailableInTierException = make('FeatureUnavailableInTierException');
export const ManagedLoginBrandingExistsException = make('ManagedLoginBrandingExistsException');
export const WebAuthnNotEnabledException = make('WebAuthnNotEnabledException');
export const WebAuthnConfigurationMissingException = make('WebAuthnConfigurationMissingException');
export const WebAuthnChallengeNotFoundException = make('WebAuthnChallengeNotFoundException');
export const WebAuthnRelyingPartyMismatchException = make('WebAuthnRelyingPartyMismatchException');
export const WebAuthnClientMismatchException = make('WebAuthnClientMismatchException');
export const WebAuthnOriginNotAllowedException = make('WebAuthnOriginNotAllowedException');
export const WebAuthnCredentialNotSupportedException = make('WebAuthnCredentialNotSupportedException');
export const UnknownOperationException = make('UnknownOperationException');
export const SerializationException = make('SerializationException');
export const InternalErrorException = class extends CognitoError {
  constructor(message = 'Internal error') {
    super('InternalErrorException', message, 500);
  }
};
