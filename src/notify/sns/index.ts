export { createSnsNotifier, isFifoTopic, publishInput, SNS_NOTIFIER, type SnsNotifierOptions } from './notifier.js';
export { regionOfTopicArn, snsClientConfig, snsNotifierFromConfig } from './config.js';
export { ATTRIBUTES, incidentPublication, verdictPublication, type Publication } from './message.js';
export { DOCUMENT_VERSION, type SnsEventType } from './document.js';
export { classify as classifySnsError } from './errors.js';
export { LIMITS as SNS_LIMITS, subjectOf } from './text.js';
