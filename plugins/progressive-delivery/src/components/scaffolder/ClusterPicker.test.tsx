import { renderInTestApp } from '@backstage/frontend-test-utils';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { MockProgressiveDeliveryApi } from '../../api/MockProgressiveDeliveryApi';
import { progressiveDeliveryApiRef } from '../../api/ProgressiveDeliveryApi';
import {
  aksCluster,
  listedCluster,
  unreachableCluster,
} from '../../__fixtures__/clusters';
import { ClusterPicker } from './ClusterPicker';
import { clusterPickerValidation } from './clusterPickerValidation';

const clusters = [
  listedCluster('prod-eu-1'),
  aksCluster('dev-eu-1'),
  unreachableCluster('prod-us-1'),
];

/** The picker as the scaffolder's form holds it: controlled, each change recorded. */
function ControlledPicker(props: {
  initial?: string[];
  changes: Array<string[] | undefined>;
}) {
  const [formData, setFormData] = useState(props.initial);
  const fieldProps = {
    formData,
    onChange: (value: string[] | undefined) => {
      props.changes.push(value);
      setFormData(value);
    },
    schema: {
      title: 'Clusters',
      description: 'Where the tenant gets its namespace.',
    },
    uiSchema: {},
    rawErrors: [],
    required: true,
    disabled: false,
  } as unknown as FieldExtensionComponentProps<string[]>;
  return <ClusterPicker {...fieldProps} />;
}

async function renderPicker(
  api: MockProgressiveDeliveryApi,
  initial?: string[],
) {
  const changes: Array<string[] | undefined> = [];
  await renderInTestApp(
    <ControlledPicker initial={initial} changes={changes} />,
    { apis: [[progressiveDeliveryApiRef, api]] },
  );
  return changes;
}

describe('ClusterPicker', () => {
  it("lists the backend's clusters with their state and chooses several", async () => {
    const changes = await renderPicker(
      new MockProgressiveDeliveryApi({ clusters }),
    );
    const group = await screen.findByRole('group', { name: /Clusters/ });
    const boxes = within(group).getAllByRole('checkbox');
    expect(boxes.map(box => box.closest('label')?.textContent)).toEqual([
      'prod-eu-1in sync',
      'dev-eu-1in sync',
      'prod-us-1not reachableconnect ECONNREFUSED prod-us-1.example.com:6443',
    ]);
    expect(group).toHaveTextContent('Where the tenant gets its namespace.');

    await userEvent.click(screen.getByRole('checkbox', { name: /prod-eu-1/ }));
    await userEvent.click(screen.getByRole('checkbox', { name: /dev-eu-1/ }));
    expect(changes).toEqual([['prod-eu-1'], ['prod-eu-1', 'dev-eu-1']]);
    expect(screen.getByRole('checkbox', { name: /prod-eu-1/ })).toBeChecked();
    expect(
      screen.getByRole('checkbox', { name: /prod-us-1/ }),
    ).not.toBeChecked();

    await userEvent.click(screen.getByRole('checkbox', { name: /prod-eu-1/ }));
    expect(changes.at(-1)).toEqual(['dev-eu-1']);
  });

  it('keeps a chosen name the backend does not have, marked, to be unchecked', async () => {
    const changes = await renderPicker(
      new MockProgressiveDeliveryApi({ clusters }),
      ['prod-eu-1', 'staging-9'],
    );
    const stale = await screen.findByRole('checkbox', { name: /staging-9/ });
    expect(stale).toBeChecked();
    expect(stale.closest('label')).toHaveTextContent(
      'staging-9not a cluster of the Progressive Delivery backend',
    );
    await userEvent.click(stale);
    expect(changes).toEqual([['prod-eu-1']]);
  });

  it('ignores the empty entry the form puts in an array with minItems', async () => {
    // RJSF fills `minItems: 1` with one undefined entry before the user chooses anything.
    const changes = await renderPicker(
      new MockProgressiveDeliveryApi({ clusters }),
      [undefined as unknown as string],
    );
    const group = await screen.findByRole('group', { name: /Clusters/ });
    expect(within(group).getAllByRole('checkbox')).toHaveLength(3);
    await userEvent.click(screen.getByRole('checkbox', { name: /prod-eu-1/ }));
    // First the empty entry is dropped (so the schema says that none is chosen), then the choice.
    expect(changes).toEqual([[], ['prod-eu-1']]);
  });

  it('says when the clusters cannot be listed', async () => {
    const api = new MockProgressiveDeliveryApi({ clusters });
    jest
      .spyOn(api, 'listClusters')
      .mockRejectedValue(new Error('Request failed with 503'));
    await renderPicker(api);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not list the clusters of the Progressive Delivery backend: Request failed with 503',
    );
    expect(screen.queryByRole('checkbox')).not.toBeInTheDocument();
  });

  it('says when the backend has no clusters at all', async () => {
    await renderPicker(new MockProgressiveDeliveryApi({ clusters: [] }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The Progressive Delivery backend has no clusters',
    );
  });
});

describe('clusterPickerValidation', () => {
  async function validate(
    chosen: string[],
    api: MockProgressiveDeliveryApi | undefined,
  ) {
    const errors: string[] = [];
    await clusterPickerValidation(
      chosen,
      { addError: (message: string) => errors.push(message) } as never,
      {
        apiHolder: { get: () => api } as never,
        formData: {},
        schema: {},
      },
    );
    return errors;
  }

  it('accepts clusters the backend has and refuses the others, naming them', async () => {
    const api = new MockProgressiveDeliveryApi({ clusters });
    await expect(validate(['prod-eu-1', 'dev-eu-1'], api)).resolves.toEqual([]);
    await expect(validate(['prod-eu-1', 'staging-9'], api)).resolves.toEqual([
      'staging-9 is not a cluster of the Progressive Delivery backend (it has prod-eu-1, dev-eu-1, prod-us-1)',
    ]);
  });

  it('reports a cluster list it cannot read, and a missing plugin', async () => {
    const api = new MockProgressiveDeliveryApi({ clusters });
    jest.spyOn(api, 'listClusters').mockRejectedValue(new Error('offline'));
    await expect(validate(['prod-eu-1'], api)).resolves.toEqual([
      'Could not list the clusters of the Progressive Delivery backend: offline',
    ]);
    await expect(validate(['prod-eu-1'], undefined)).resolves.toEqual([
      'The Progressive Delivery plugin is not installed in this app, so the clusters cannot be checked',
    ]);
  });

  it('leaves an empty choice to the schema', async () => {
    await expect(validate([], undefined)).resolves.toEqual([]);
  });
});

describe('the field in the scaffolder', () => {
  it('is named for templates and carries the validation', async () => {
    const { clusterPickerField } = await import('./clusterPickerField');
    expect(clusterPickerField.name).toBe('ProgressiveDeliveryClusterPicker');
    expect(clusterPickerField.validation).toBe(clusterPickerValidation);
    expect(clusterPickerField.schema.schema.returnValue).toEqual(
      expect.objectContaining({ type: 'array', items: { type: 'string' } }),
    );
  });

  it('shows no checkbox while the clusters load', async () => {
    const api = new MockProgressiveDeliveryApi({ clusters });
    let answer: () => void = () => {};
    jest.spyOn(api, 'listClusters').mockImplementation(
      () =>
        new Promise(resolve => {
          answer = () => resolve({ items: clusters });
        }),
    );
    await renderPicker(api);
    expect(screen.queryByRole('checkbox')).not.toBeInTheDocument();
    act(() => answer());
    await waitFor(() =>
      expect(screen.getAllByRole('checkbox')).toHaveLength(3),
    );
  });
});
