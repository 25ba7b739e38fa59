// Where an investigation's alert came from: the source, the product a hub relayed, the source's
// finding id, a sample marker and the link to the finding in its console.
import Badge from '@cloudscape-design/components/badge';
import Box from '@cloudscape-design/components/box';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { type AlertOrigin, ORIGIN_SOURCE_LABELS, safeOriginLink } from '../common/origin';

export function AlertOriginView({ origin }: { origin: AlertOrigin }) {
  const link = safeOriginLink(origin.link);
  return (
    <SpaceBetween size="xxs">
      <SpaceBetween direction="horizontal" size="xs" alignItems="center">
        <span data-testid="origin-source">{ORIGIN_SOURCE_LABELS[origin.source]}</span>
        {origin.sample ? (
          <span data-testid="origin-sample">
            <Badge color="blue">sample finding</Badge>
          </span>
        ) : null}
      </SpaceBetween>
      {origin.product ? (
        <Box variant="small" display="block">
          Product: <span data-testid="origin-product">{origin.product}</span>
        </Box>
      ) : null}
      <Box variant="code" fontSize="body-s">
        <span data-testid="origin-finding-id">{origin.findingId}</span>
      </Box>
      {link ? (
        <Link
          href={link}
          external
          target="_blank"
          rel="noopener noreferrer"
          externalIconAriaLabel="(opens in a new tab)"
          data-testid="origin-link"
        >
          Open the finding
        </Link>
      ) : null}
    </SpaceBetween>
  );
}
