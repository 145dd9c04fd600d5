import { Code, List, Text } from "@mantine/core";

/**
 * Where a BigCommerce merchant makes the API account Counterline needs, in three steps.
 * `tokenOnly` when the store is already known (re-authorizing) and only the token is pasted.
 */
export function BigCommerceGuide({ tokenOnly = false }: { tokenOnly?: boolean }) {
  return (
    <div>
      <Text size="sm" fw={500} mb={4}>
        Create an API account for Counterline in BigCommerce:
      </Text>
      <List type="ordered" size="sm" spacing={4}>
        <List.Item>
          In your BigCommerce control panel, go to <strong>Settings › Store-level API accounts</strong>{" "}
          and click <strong>Create API account</strong>.
        </List.Item>
        <List.Item>
          Name it <Code>Counterline</Code> and set <strong>Orders</strong>, <strong>Products</strong>{" "}
          and <strong>Information &amp; settings</strong> to <strong>read-only</strong>. Leave the
          rest at None.
        </List.Item>
        <List.Item>
          {tokenOnly ? (
            <>
              Save. BigCommerce shows the <strong>access token</strong> once; copy it into the form
              below.
            </>
          ) : (
            <>
              Save. BigCommerce shows the <strong>API path</strong> and the{" "}
              <strong>access token</strong> once; copy both into the form below.
            </>
          )}
        </List.Item>
      </List>
    </div>
  );
}
