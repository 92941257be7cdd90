/** Test helpers: decode a FIT file with the SDK's Decoder, as a reader of our exports would. */
import { Decoder, Stream } from '@garmin/fitsdk';

type Mesgs = Record<string, Array<Record<string, unknown>>>;

/** Messages by type (`recordMesgs`, `lapMesgs`, ...), decode errors and the CRC/size check. */
export function decodeFit(bytes: Uint8Array): { messages: Mesgs; errors: unknown[]; integrity: boolean } {
  const decoder = new Decoder(Stream.fromByteArray([...bytes]));
  const integrity = decoder.checkIntegrity();
  const { messages, errors } = new Decoder(Stream.fromByteArray([...bytes])).read({ mergeHeartRates: false });
  return { messages: messages as unknown as Mesgs, errors, integrity };
}

