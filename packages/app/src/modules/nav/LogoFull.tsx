import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  logo: {
    color: '#7df3e1',
    fontWeight: 700,
    fontSize: 17,
    lineHeight: 1.1,
    whiteSpace: 'nowrap',
    fontFamily: 'monospace',
  },
});

/** The suite's word mark: the product is its files. */
export const LogoFull = () => {
  const classes = useStyles();
  return (
    <div className={classes.logo}>
      everything
      <br />
      is code
    </div>
  );
};
