/**
 * cdk-nag wiring: the AwsSolutions rule pack on the whole app, and acknowledgements.
 *
 * cdk-nag 3 runs as a CDK policy-validation plugin (`Validations.of(app).addPlugins`), not as
 * an Aspect; an unacknowledged error fails `app.synth()`, and every finding, acknowledged or
 * not, lands in `validation-report.json` in the cloud assembly (the tests read it). Each
 * acknowledgement names one rule (or one finding of it) on one construct, with the reason.
 */
import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

export function addNagChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}

/** Acknowledges one AwsSolutions finding (`AwsSolutions-XX` or `AwsSolutions-XX[finding]`) on a construct. */
export function acknowledge(construct: IConstruct, ruleId: string, reason: string): void {
  Validations.of(construct).acknowledge({ id: `AwsSolutions::${ruleId}`, reason });
}
