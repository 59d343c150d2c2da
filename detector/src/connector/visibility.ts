import { ChangeMessageVisibilityCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { errorText } from "../alerts/sink";
import type { Logger } from "./log";

/**
 * Keeps a message invisible while it is being processed: a large log object can take longer
 * than the queue's visibility timeout, and another consumer must not start on it meanwhile.
 * Every half timeout the message's visibility is set to one full timeout again.
 */
export class VisibilityHeartbeat {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly receiptHandle: string,
    private readonly timeoutSeconds: number,
    private readonly messageId: string,
    private readonly log: Logger,
  ) {}

  start(): void {
    const everyMs = Math.max(500, (this.timeoutSeconds * 1000) / 2);
    this.timer = setInterval(() => void this.extend(), everyMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async extend(): Promise<void> {
    try {
      await this.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: this.queueUrl, ReceiptHandle: this.receiptHandle, VisibilityTimeout: this.timeoutSeconds }));
    } catch (e) {
      this.log.warn("could not extend the message's visibility; another consumer may receive it too (its alerts keep their ids)", { messageId: this.messageId, error: errorText(e) });
    }
  }
}

/** Makes a message visible again at once, for another consumer to take (used at shutdown). */
export async function releaseMessage(sqs: SQSClient, queueUrl: string, receiptHandle: string): Promise<void> {
  await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: 0 }));
}
