import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
} from '@material-ui/core';
import { ReactNode } from 'react';

/** A column heading; a plain string is a left-aligned heading without a class. */
export type DataColumn =
  | string
  | { title: string; align?: 'right'; className?: string };

/** A small table with a heading row; the caller renders the body rows. */
export function DataTable(props: {
  /** What the table lists, for screen readers. */
  label: string;
  columns: DataColumn[];
  /** An empty first heading cell, over a column of row buttons. */
  buttonColumn?: boolean;
  className?: string;
  children: ReactNode;
}) {
  const { label, columns, buttonColumn, className, children } = props;
  return (
    <Table size="small" aria-label={label} className={className}>
      <TableHead>
        <TableRow>
          {buttonColumn && <TableCell padding="checkbox" />}
          {columns.map(column =>
            typeof column === 'string' ? (
              <TableCell key={column}>{column}</TableCell>
            ) : (
              <TableCell
                key={column.title}
                align={column.align}
                className={column.className}
              >
                {column.title}
              </TableCell>
            ),
          )}
        </TableRow>
      </TableHead>
      <TableBody>{children}</TableBody>
    </Table>
  );
}
